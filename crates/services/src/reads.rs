//! What a read model answers when it has no page to give: the policy refused the principal,
//! what was asked for is not there, or the store failed. Read models change nothing, so
//! unlike a use case's `Refused` there is no rule to read and no answer with problems.

use domain::policy::Denied;
use store::StoreError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum Unreadable {
    /// The policy refused the principal.
    #[error(transparent)]
    Denied(#[from] Denied),
    /// What the page is about is not there.
    #[error("not found")]
    NotFound,
    /// The store failed; the cause is for the log.
    #[error(transparent)]
    Store(#[from] StoreError),
}
