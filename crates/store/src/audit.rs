//! The append-only audit log: every change, who made it and when (UTC). Written in the same
//! transaction as the change it records; never updated or deleted (the database refuses).

use chrono::{DateTime, Utc};
use domain::{AuditEvent, UserId};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::entity::{audit_log, user};
use crate::{Store, StoreError};

/// One entry as the co-ordinator reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<UserId>,
    /// The actor's name now, or None if the account has since been removed.
    pub actor_name: Option<String>,
    pub action: String,
    pub object_kind: String,
    pub object_id: String,
    pub summary: String,
}

/// Filters on the audit log page; empty fields match everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub actor: Option<UserId>,
    pub action: Option<String>,
    pub object_kind: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

pub(crate) async fn append(
    db: &impl ConnectionTrait,
    event: AuditEvent,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let entry = audit_log::ActiveModel {
        at: Set(at),
        actor_user_id: Set(event.actor.map(|id| id.as_uuid())),
        action: Set(event.action.to_owned()),
        object_kind: Set(event.object.kind.to_owned()),
        object_id: Set(event.object.id),
        summary: Set(event.summary),
        ..Default::default()
    };
    // Nothing reads the row back: no RETURNING to decode.
    audit_log::Entity::insert(entry)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

impl Store {
    /// Record an event that has no other change with it (a sign-in, a download).
    pub async fn record(&self, event: AuditEvent, at: DateTime<Utc>) -> Result<(), StoreError> {
        append(&self.db, event, at).await
    }

    /// The newest entries matching `filter`, newest first, at most `limit`.
    pub async fn audit_entries(
        &self,
        filter: &AuditFilter,
        limit: u64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let mut condition = Condition::all();
        if let Some(actor) = filter.actor {
            condition = condition.add(audit_log::Column::ActorUserId.eq(actor.as_uuid()));
        }
        if let Some(action) = &filter.action {
            condition = condition.add(audit_log::Column::Action.eq(action.as_str()));
        }
        if let Some(kind) = &filter.object_kind {
            condition = condition.add(audit_log::Column::ObjectKind.eq(kind.as_str()));
        }
        if let Some(from) = filter.from {
            condition = condition.add(audit_log::Column::At.gte(from));
        }
        if let Some(until) = filter.until {
            condition = condition.add(audit_log::Column::At.lt(until));
        }
        let rows = audit_log::Entity::find()
            .filter(condition)
            .order_by_desc(audit_log::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?;
        let mut actor_ids: Vec<_> = rows.iter().filter_map(|row| row.actor_user_id).collect();
        actor_ids.sort();
        actor_ids.dedup();
        let names: std::collections::BTreeMap<_, _> = user::Entity::find()
            .filter(user::Column::Id.is_in(actor_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|actor| (actor.id, actor.name))
            .collect();
        Ok(rows
            .into_iter()
            .map(|row| AuditEntry {
                id: row.id,
                at: row.at,
                actor: row.actor_user_id.map(UserId::from_uuid),
                actor_name: row.actor_user_id.and_then(|id| names.get(&id).cloned()),
                action: row.action,
                object_kind: row.object_kind,
                object_id: row.object_id,
                summary: row.summary,
            })
            .collect())
    }

    /// The distinct actions recorded so far, for the filter's choices.
    pub async fn audit_actions(&self) -> Result<Vec<String>, StoreError> {
        let mut actions: Vec<String> = audit_log::Entity::find()
            .select_only()
            .column(audit_log::Column::Action)
            .distinct()
            .into_tuple()
            .all(&self.db)
            .await?;
        actions.sort();
        Ok(actions)
    }

    pub async fn audit_entry_count(&self) -> Result<u64, StoreError> {
        Ok(audit_log::Entity::find().count(&self.db).await?)
    }
}
