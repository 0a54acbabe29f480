//! Looking after pool members from the directory: recording training done before the
//! service existed, and each member's own history from the audit log for their profile page.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::{AuditEvent, AuditObject, PoolMemberId, UserId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entity::{audit_log, pool_member, user};
use crate::{AuditEntry, Store, StoreError, audit};

/// The kind the audit log files pool members under.
const MEMBER_KIND: &str = "pool_member";

impl Store {
    /// Record that a member was trained on `on` (training from before this service, or
    /// elsewhere). They no longer need training, so they leave the waiting list.
    pub async fn mark_trained(
        &self,
        id: PoolMemberId,
        on: NaiveDate,
        by: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        pool_member::Entity::find_by_id(id.as_uuid())
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        pool_member::ActiveModel {
            id: Set(id.as_uuid()),
            trained_on: Set(Some(on)),
            needs_training: Set(false),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(&txn)
        .await?;
        let event = AuditEvent::new(
            by,
            "pool.marked_trained",
            AuditObject::new(MEMBER_KIND, id),
            format!("Marked trained on {}", on.format("%-d %B %Y")),
        );
        audit::append(&txn, event, now).await?;
        txn.commit().await?;
        Ok(())
    }

    /// What has happened to one member, newest first, at most `limit` entries.
    pub async fn pool_member_history(
        &self,
        id: PoolMemberId,
        limit: u64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = audit_log::Entity::find()
            .filter(audit_log::Column::ObjectKind.eq(MEMBER_KIND))
            .filter(audit_log::Column::ObjectId.eq(id.to_string()))
            .order_by_desc(audit_log::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?;
        let mut actors: Vec<_> = rows.iter().filter_map(|row| row.actor_user_id).collect();
        actors.sort();
        actors.dedup();
        let names: BTreeMap<_, _> = user::Entity::find()
            .filter(user::Column::Id.is_in(actors))
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
}
