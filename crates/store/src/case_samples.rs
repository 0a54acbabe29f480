//! A challenge's case sample: pseudonymous case references with age band, need type, setting
//! type and notes, already checked by `domain::case_sample` for anything that identifies a
//! child. Reading the references alone is its own query, so the pages for a parent carer or
//! young ambassador on the team never load the details they may not see.

use chrono::{DateTime, Utc};
use domain::case_sample::{CaseAgeBand, CaseEntry, CaseReference, NeedType, SettingType};
use domain::{AuditEvent, AuditObject, CaseId, ChallengeId, UserId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::entity::case_sample;
use crate::timetable::preparation_open;
use crate::{Store, StoreError, audit};

const CASE_KIND: &str = "case_sample";

/// A sampled case with everything the host recorded about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampledCase {
    pub id: CaseId,
    pub challenge: ChallengeId,
    pub entry: CaseEntry,
    pub created_at: DateTime<Utc>,
}

/// A sampled case as everyone on the team may see it: its reference and nothing else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseReferenceOnly {
    pub id: CaseId,
    pub reference: CaseReference,
}

fn reference_of(text: &str) -> Result<CaseReference, StoreError> {
    CaseReference::parse(text).map_err(|_| StoreError::corrupt(text))
}

fn to_case(row: case_sample::Model) -> Result<SampledCase, StoreError> {
    Ok(SampledCase {
        id: CaseId::from_uuid(row.id),
        challenge: ChallengeId::from_uuid(row.challenge_id),
        entry: CaseEntry {
            reference: reference_of(&row.reference)?,
            age_band: CaseAgeBand::parse(&row.age_band)
                .ok_or_else(|| StoreError::corrupt(&row.age_band))?,
            need_type: NeedType::parse(&row.need_type)
                .ok_or_else(|| StoreError::corrupt(&row.need_type))?,
            setting_type: SettingType::parse(&row.setting_type)
                .ok_or_else(|| StoreError::corrupt(&row.setting_type))?,
            notes: row.notes,
        },
        created_at: row.created_at,
    })
}

async fn find_case(
    db: &impl ConnectionTrait,
    challenge: ChallengeId,
    id: CaseId,
) -> Result<Option<case_sample::Model>, StoreError> {
    Ok(case_sample::Entity::find_by_id(id.as_uuid())
        .filter(case_sample::Column::ChallengeId.eq(challenge.as_uuid()))
        .one(db)
        .await?)
}

impl Store {
    /// The challenge's cases with their details, by reference.
    pub async fn case_sample(
        &self,
        challenge: ChallengeId,
    ) -> Result<Vec<SampledCase>, StoreError> {
        case_sample::Entity::find()
            .filter(case_sample::Column::ChallengeId.eq(challenge.as_uuid()))
            .order_by_asc(case_sample::Column::Reference)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_case)
            .collect()
    }

    /// The challenge's case references only, by reference: for people who may not see more.
    pub async fn case_references(
        &self,
        challenge: ChallengeId,
    ) -> Result<Vec<CaseReferenceOnly>, StoreError> {
        let rows: Vec<(Uuid, String)> = case_sample::Entity::find()
            .select_only()
            .columns([case_sample::Column::Id, case_sample::Column::Reference])
            .filter(case_sample::Column::ChallengeId.eq(challenge.as_uuid()))
            .order_by_asc(case_sample::Column::Reference)
            .into_tuple()
            .all(&self.db)
            .await?;
        rows.into_iter()
            .map(|(id, reference)| {
                Ok(CaseReferenceOnly {
                    id: CaseId::from_uuid(id),
                    reference: reference_of(&reference)?,
                })
            })
            .collect()
    }

    /// One case of the challenge (None if the challenge has no such case).
    pub async fn sampled_case(
        &self,
        challenge: ChallengeId,
        id: CaseId,
    ) -> Result<Option<SampledCase>, StoreError> {
        find_case(&self.db, challenge, id)
            .await?
            .map(to_case)
            .transpose()
    }

    /// Add a case while the visit is being prepared. A reference the challenge already has
    /// is refused with `Conflict`, as is any change once preparation has closed.
    pub async fn add_case(
        &self,
        challenge: ChallengeId,
        entry: &CaseEntry,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<CaseId, StoreError> {
        let txn = self.begin_write().await?;
        preparation_open(&txn, challenge).await?;
        let taken = case_sample::Entity::find()
            .filter(case_sample::Column::ChallengeId.eq(challenge.as_uuid()))
            .filter(case_sample::Column::Reference.eq(entry.reference.as_str()))
            .count(&txn)
            .await?;
        if taken > 0 {
            return Err(StoreError::Conflict(
                "This challenge already has a case with that reference: enter a different reference",
            ));
        }
        let id = CaseId::new();
        case_sample::ActiveModel {
            id: Set(id.as_uuid()),
            challenge_id: Set(challenge.as_uuid()),
            reference: Set(entry.reference.as_str().to_owned()),
            age_band: Set(entry.age_band.code().to_owned()),
            need_type: Set(entry.need_type.code().to_owned()),
            setting_type: Set(entry.setting_type.code().to_owned()),
            notes: Set(entry.notes.clone()),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        // The reference is pseudonymous, but the log keeps to ids all the same.
        let event = AuditEvent::new(
            Some(by),
            "case_sample.added",
            AuditObject::new(CASE_KIND, id),
            format!("Case added to challenge {challenge}"),
        );
        audit::append(&txn, event, now).await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Remove a case. `NotFound` if the challenge has no such case, `Conflict` once
    /// preparation has closed.
    pub async fn delete_case(
        &self,
        challenge: ChallengeId,
        id: CaseId,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        preparation_open(&txn, challenge).await?;
        if find_case(&txn, challenge, id).await?.is_none() {
            return Err(StoreError::NotFound);
        }
        case_sample::Entity::delete_by_id(id.as_uuid())
            .exec(&txn)
            .await?;
        let event = AuditEvent::new(
            Some(by),
            "case_sample.deleted",
            AuditObject::new(CASE_KIND, id),
            format!("Case removed from challenge {challenge}"),
        );
        audit::append(&txn, event, now).await?;
        txn.commit().await?;
        Ok(())
    }
}
