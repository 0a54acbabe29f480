//! What can go wrong in the store, in terms the web layer can act on.

use sea_orm::{DbErr, SqlErr};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(DbErr),
    /// A uniqueness rule would be broken, e.g. an email already in use.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("not found")]
    NotFound,
    /// What the change was checked against (a kept reading, at a version) changed before it
    /// was written: nothing was written, and it is for the caller to check again afresh.
    #[error("changed since it was read")]
    Stale,
    /// A stored value no longer parses into its domain type: a bug or a hand edit.
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
}

/// A uniqueness rule the database kept when two writers raced past the store's own check (the
/// same thing written twice at the same moment) is a conflict the visitor reads on the page
/// they came from, never a server error. Every other database error stays one.
impl From<DbErr> for StoreError {
    fn from(error: DbErr) -> Self {
        match error.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                Self::Conflict("the same change was made by someone else at the same moment")
            }
            _ => Self::Database(error),
        }
    }
}

impl StoreError {
    pub(crate) fn corrupt(what: impl std::fmt::Display) -> Self {
        Self::Corrupt(what.to_string())
    }
}
