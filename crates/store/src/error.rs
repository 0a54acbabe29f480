//! What can go wrong in the store, in terms the web layer can act on.

use sea_orm::DbErr;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    /// A uniqueness rule would be broken, e.g. an email already in use.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("not found")]
    NotFound,
    /// A stored value no longer parses into its domain type: a bug or a hand edit.
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub(crate) fn corrupt(what: impl std::fmt::Display) -> Self {
        Self::Corrupt(what.to_string())
    }
}
