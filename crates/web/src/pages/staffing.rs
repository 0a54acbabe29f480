//! Acting on the engine's diagnosis of a seat nobody can fill, from the team page: make one
//! seat of the role a shadowing seat and re-compose, or email a named pool member asking them
//! to add the host area to the places they travel to. Both change something or tell someone,
//! so both are forms posted from the diagnosis, never links.

use axum::extract::State;
use axum::http::Method;
use axum::response::Response;
use axum::routing::post;
use axum_extra::extract::Form;
use chrono::Utc;
use domain::PoolMemberId;
use domain::challenge::SeatRole;
use serde::Deserialize;

use crate::error::refused;
use crate::pages::see_other;
use crate::route::{Route, route};
use domain::Action;

use crate::pages::challenges::LoadedChallenge;
use crate::pages::team::refuse;
use crate::visitor::Visitor;
use crate::{AppError, AppState};

/// Every route of acting on the team engine's diagnosis, for `route_table`.
pub fn routes() -> Vec<Route> {
    vec![
        route(
            Method::POST,
            "/challenges/{id}/team/shadow",
            post(shadow_seat),
        ),
        route(
            Method::POST,
            "/challenges/{id}/team/ask-travel",
            post(ask_to_travel),
        ),
    ]
}

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
    loaded: LoadedChallenge,
    Form(form): Form<ShadowForm>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ComposeTeam)?;
    let Some(role) = SeatRole::parse(&form.role) else {
        let message = "Choose the seat to make a shadowing seat".into();
        return refuse(&state, &visitor, &loaded, message).await;
    };
    match services::team::make_seat_shadowing(
        state.scheme(),
        visitor.principal.as_ref(),
        loaded.on(),
        role,
        state.today(),
        Utc::now(),
    )
    .await
    {
        Ok(()) => Ok(see_other(&format!(
            "{}/team?notice=proposed",
            loaded.href()
        ))),
        Err(why) => refuse(&state, &visitor, &loaded, refused(why)?).await,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct AskForm {
    #[serde(default)]
    member: String,
}

/// Email a pool member, through the outbox, asking them to add the host area to the places
/// they travel to, with a link to that part of their profile.
pub async fn ask_to_travel(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Form(form): Form<AskForm>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ComposeTeam)?;
    let Ok(member) = form.member.parse::<PoolMemberId>() else {
        return refuse(&state, &visitor, &loaded, "Choose the person to ask".into()).await;
    };
    match services::team::ask_to_travel(
        state.scheme(),
        visitor.principal.as_ref(),
        loaded.on(),
        member,
        Utc::now(),
    )
    .await
    {
        Ok(()) => Ok(see_other(&format!("{}/team?notice=asked", loaded.href()))),
        Err(why) => refuse(&state, &visitor, &loaded, refused(why)?).await,
    }
}
