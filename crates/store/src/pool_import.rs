//! Adding many pool members at once: an existing pool brought in from a spreadsheet, or the
//! demo's. One transaction for the lot, so a large import is quick and all or nothing.

use chrono::{DateTime, Utc};
use domain::pool::{MemberProfile, MemberStatus};
use domain::{AuditEvent, AuditObject, PoolMemberId, UserId};
use sea_orm::{ActiveModelTrait, Set};

use crate::entity::pool_member;
use crate::{Store, StoreError, audit, pool};

/// A member to import, with when they joined and where they stand now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedMember {
    pub profile: MemberProfile,
    /// The account they sign in with, if they have one.
    pub user: Option<UserId>,
    pub joined_at: DateTime<Utc>,
    /// Active or paused; a member who left is recorded as leaving now.
    pub status: MemberStatus,
}

impl Store {
    /// Add every member or none (an email already in the pool refuses the whole import).
    pub async fn import_pool_members(
        &self,
        members: &[ImportedMember],
        by: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<Vec<PoolMemberId>, StoreError> {
        let txn = self.begin_write().await?;
        let mut ids = Vec::with_capacity(members.len());
        for member in members {
            let id =
                pool::insert_member(&txn, &member.profile, member.user, member.joined_at).await?;
            if member.status != MemberStatus::Active {
                pool_member::ActiveModel {
                    id: Set(id.as_uuid()),
                    status: Set(member.status.code().to_owned()),
                    left_at: Set((member.status == MemberStatus::Left).then_some(now)),
                    ..Default::default()
                }
                .update(&txn)
                .await?;
            }
            let event = AuditEvent::new(
                by,
                "pool.member_imported",
                AuditObject::new("pool_member", id),
                format!("Imported into the pool ({})", member.status.label()),
            );
            audit::append(&txn, event, now).await?;
            ids.push(id);
        }
        txn.commit().await?;
        Ok(ids)
    }
}
