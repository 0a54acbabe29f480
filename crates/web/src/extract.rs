//! Path parameters parsed into domain types at the boundary. A parameter that does not parse
//! names nothing, so it is the same GOV.UK "Page not found" as an id nobody has, never axum's
//! plain-text 400. Handlers take `Id(id): Id<ChallengeId>` (or a tuple of ids, in the order
//! of the path) and never see the raw text.

use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::AppError;

/// The path's parameters, parsed as `T`: one typed id, or a tuple of them.
#[derive(Debug)]
pub struct Id<T>(pub T);

impl<T, S> FromRequestParts<S> for Id<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Self(value)),
            Err(PathRejection::FailedToDeserializePathParams(_)) => Err(AppError::NotFound),
            Err(other) => Err(AppError::Internal(format!("path parameters: {other}"))),
        }
    }
}
