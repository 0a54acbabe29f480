//! What the audit log records: who did what to which object. Entries are appended, never
//! changed.

use crate::UserId;

/// The kind and identifier of the object an audited change touched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditObject {
    pub kind: &'static str,
    pub id: String,
}

impl AuditObject {
    pub fn new(kind: &'static str, id: impl ToString) -> Self {
        Self {
            kind,
            id: id.to_string(),
        }
    }
}

/// One audited change, ready to append. `summary` must hold no secrets (no passwords,
/// tokens or special category data): the log is read by people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEvent {
    pub actor: Option<UserId>,
    pub action: &'static str,
    pub object: AuditObject,
    pub summary: String,
}

impl AuditEvent {
    pub fn new(
        actor: Option<UserId>,
        action: &'static str,
        object: AuditObject,
        summary: impl Into<String>,
    ) -> Self {
        Self {
            actor,
            action,
            object,
            summary: summary.into(),
        }
    }
}
