//! Acting on the engine's diagnosis of a seat nobody can fill, from the team page: make one
//! seat of the role a shadowing seat and re-compose, or email a named pool member asking them
//! to add the host area to the places they travel to. Both change something or tell someone,
//! so both are forms posted from the diagnosis, never links.

use axum::extract::{Path, State};
use axum::response::Response;
use axum_extra::extract::Form;
use chrono::Utc;
use domain::PoolMemberId;
use domain::challenge::SeatRole;
use serde::Deserialize;
use services::challenge_emails::travel_request_email;
use store::StoreError;

use crate::pages::challenges::load_challenge;
use crate::pages::see_other;
use crate::pages::team::{load_for_change, propose, refuse};
use crate::visitor::Visitor;
use crate::{AppError, AppState};

#[derive(Debug, Default, Deserialize)]
pub struct ShadowForm {
    #[serde(default)]
    role: String,
}

/// Turn one seat of a role into a shadowing seat (audited), then ask the engine again with as
/// few changes as possible, so someone not yet trained can fill it.
pub async fn shadow_seat(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<ShadowForm>,
) -> Result<Response, AppError> {
    let loaded = load_for_change(&state, &visitor, &id).await?;
    let principal = visitor.principal.as_ref().ok_or(AppError::SignInRequired)?;
    let Some(role) = SeatRole::parse(&form.role) else {
        return refuse(
            &state,
            &visitor,
            &loaded,
            "Choose the seat to make a shadowing seat".into(),
        )
        .await;
    };
    if !loaded.record.state.may_change_team() {
        return refuse(
            &state,
            &visitor,
            &loaded,
            "The team can no longer be changed at this stage".into(),
        )
        .await;
    }
    match state
        .store
        .shadow_one_seat(principal, loaded.record.id, role, Utc::now())
        .await
    {
        Ok(()) => {}
        Err(StoreError::Conflict(_) | StoreError::NotFound) => {
            return refuse(
                &state,
                &visitor,
                &loaded,
                format!(
                    "There is no {} seat left to make a shadowing seat",
                    role.label().to_lowercase()
                ),
            )
            .await;
        }
        Err(other) => return Err(other.into()),
    }
    let reloaded = load_challenge(&state, &visitor, &id).await?;
    propose(&state, &visitor, &reloaded, true).await
}

#[derive(Debug, Default, Deserialize)]
pub struct AskForm {
    #[serde(default)]
    member: String,
}

/// Email a pool member, through the outbox, asking them to add the host area to the places
/// they travel to, with a link to that part of their profile. Nothing else changes: whether
/// they travel there is theirs to say.
pub async fn ask_to_travel(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<AskForm>,
) -> Result<Response, AppError> {
    let loaded = load_for_change(&state, &visitor, &id).await?;
    let principal = visitor.principal.as_ref().ok_or(AppError::SignInRequired)?;
    let member = match form.member.parse::<PoolMemberId>() {
        Ok(member) => state.store.pool_member(member).await?,
        Err(_) => None,
    };
    let Some(member) = member else {
        return refuse(&state, &visitor, &loaded, "Choose the person to ask".into()).await;
    };
    let record = &loaded.record;
    let email = travel_request_email(
        &state.settings,
        loaded.on().about(),
        &record.visit_days,
        &principal.name,
        &member.profile.name.to_string(),
        member.profile.email.clone(),
    );
    state.store.queue_email(email, Utc::now()).await?;
    Ok(see_other(&format!("{}/team?notice=asked", loaded.href())))
}
