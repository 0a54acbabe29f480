//! The annual self-assessment cycles: each a programme activity of the annual programme in a
//! region (written with its areas, timetable and triads in one transaction), its triads
//! changed until they are published to the areas, and published once.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use domain::self_assessment::{CycleTimetable, check_triads, cycle_title};
use domain::{AuditEvent, AuditObject, AuthoritySlug, Principal, Programme, ProgrammeActivityId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::entity::{
    annual_cycle, local_authority, programme_activity, programme_activity_area, triad_member,
};
use crate::{Store, StoreError, audit};

/// A cycle as its pages read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnnualCycle {
    pub id: ProgrammeActivityId,
    pub region: String,
    pub year: i32,
    pub timetable: CycleTimetable,
    pub areas: Vec<AuthoritySlug>,
    /// The triads, each's areas in slug order, in triad order.
    pub triads: Vec<Vec<AuthoritySlug>>,
    pub published_at: Option<DateTime<Utc>>,
}

async fn read_cycle(
    db: &impl ConnectionTrait,
    row: annual_cycle::Model,
) -> Result<AnnualCycle, StoreError> {
    let slug = |text: &str| AuthoritySlug::parse(text).map_err(|_| StoreError::corrupt(text));
    let areas = programme_activity_area::Entity::find()
        .filter(programme_activity_area::Column::ActivityId.eq(row.activity_id))
        .order_by_asc(programme_activity_area::Column::AuthoritySlug)
        .all(db)
        .await?
        .iter()
        .map(|a| slug(&a.authority_slug))
        .collect::<Result<Vec<_>, _>>()?;
    let mut triads: BTreeMap<i32, Vec<AuthoritySlug>> = BTreeMap::new();
    for member in triad_member::Entity::find()
        .filter(triad_member::Column::ActivityId.eq(row.activity_id))
        .order_by_asc(triad_member::Column::AuthoritySlug)
        .all(db)
        .await?
    {
        triads
            .entry(member.triad)
            .or_default()
            .push(slug(&member.authority_slug)?);
    }
    Ok(AnnualCycle {
        id: ProgrammeActivityId::from_uuid(row.activity_id),
        region: row.region_slug,
        year: row.year,
        timetable: CycleTimetable {
            self_assessment_opens: row.self_assessment_opens,
            self_assessment_due: row.self_assessment_due,
            conversations_from: row.conversations_from,
            conversations_to: row.conversations_to,
            plans_due: row.plans_due,
        },
        areas,
        triads: triads.into_values().collect(),
        published_at: row.triads_published_at,
    })
}

async fn write_triads(
    db: &impl ConnectionTrait,
    id: ProgrammeActivityId,
    triads: &[Vec<AuthoritySlug>],
) -> Result<(), StoreError> {
    triad_member::Entity::delete_many()
        .filter(triad_member::Column::ActivityId.eq(id.as_uuid()))
        .exec(db)
        .await?;
    for (number, triad) in triads.iter().enumerate() {
        for area in triad {
            triad_member::ActiveModel {
                activity_id: Set(id.as_uuid()),
                authority_slug: Set(area.to_string()),
                triad: Set(i32::try_from(number + 1).unwrap_or(i32::MAX)),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

impl Store {
    /// Start a year's cycle for `areas` (all in one region) with its timetable and proposed
    /// triads: the programme activity, its areas, the cycle and its triads in one
    /// transaction, audited. A second cycle for the region's year is a conflict.
    pub async fn create_annual_cycle(
        &self,
        year: i32,
        timetable: CycleTimetable,
        areas: &[AuthoritySlug],
        triads: &[Vec<AuthoritySlug>],
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<ProgrammeActivityId, StoreError> {
        if !check_triads(triads, areas).is_empty() {
            return Err(StoreError::Conflict(
                "The triads do not keep the rules: every area in one triad of three or four",
            ));
        }
        let txn = self.begin_write().await?;
        let mut regions = Vec::new();
        for area in areas {
            let row = local_authority::Entity::find_by_id(area.to_string())
                .one(&txn)
                .await?
                .ok_or(StoreError::Conflict("An area of the cycle is not known"))?;
            regions.push(row.region_slug);
        }
        regions.dedup();
        let [region] = regions.as_slice() else {
            return Err(StoreError::Conflict(
                "A cycle's areas are all in one region",
            ));
        };
        let taken = annual_cycle::Entity::find()
            .filter(annual_cycle::Column::RegionSlug.eq(region.as_str()))
            .filter(annual_cycle::Column::Year.eq(year))
            .one(&txn)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict(
                "The region already has a cycle for that year",
            ));
        }
        let id = ProgrammeActivityId::new();
        programme_activity::ActiveModel {
            id: Set(id.as_uuid()),
            programme: Set(Programme::Annual.code().to_owned()),
            region_slug: Set(region.clone()),
            title: Set(cycle_title(year)),
            challenge_id: Set(None),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        for area in areas {
            programme_activity_area::ActiveModel {
                activity_id: Set(id.as_uuid()),
                authority_slug: Set(area.to_string()),
            }
            .insert(&txn)
            .await?;
        }
        annual_cycle::ActiveModel {
            activity_id: Set(id.as_uuid()),
            region_slug: Set(region.clone()),
            year: Set(year),
            self_assessment_opens: Set(timetable.self_assessment_opens),
            self_assessment_due: Set(timetable.self_assessment_due),
            conversations_from: Set(timetable.conversations_from),
            conversations_to: Set(timetable.conversations_to),
            plans_due: Set(timetable.plans_due),
            triads_published_at: Set(None),
        }
        .insert(&txn)
        .await?;
        write_triads(&txn, id, triads).await?;
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by.user_id),
                "annual_cycle.created",
                AuditObject::new("programme_activity", id),
                format!(
                    "{year} cycle with {} areas in {} triads",
                    areas.len(),
                    triads.len()
                ),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Every cycle, the latest year first.
    pub async fn annual_cycles(&self) -> Result<Vec<AnnualCycle>, StoreError> {
        let rows = annual_cycle::Entity::find()
            .order_by_desc(annual_cycle::Column::Year)
            .all(&self.db)
            .await?;
        let mut cycles = Vec::new();
        for row in rows {
            cycles.push(read_cycle(&self.db, row).await?);
        }
        Ok(cycles)
    }

    /// The region's cycle of a year.
    pub async fn annual_cycle(&self, year: i32) -> Result<Option<AnnualCycle>, StoreError> {
        match annual_cycle::Entity::find()
            .filter(annual_cycle::Column::Year.eq(year))
            .one(&self.db)
            .await?
        {
            Some(row) => Ok(Some(read_cycle(&self.db, row).await?)),
            None => Ok(None),
        }
    }

    /// Change a cycle's triads, checked again in the transaction; published triads are fixed.
    pub async fn save_triads(
        &self,
        id: ProgrammeActivityId,
        triads: &[Vec<AuthoritySlug>],
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let row = annual_cycle::Entity::find_by_id(id.as_uuid())
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if row.triads_published_at.is_some() {
            return Err(StoreError::Conflict(
                "The triads are published to the areas and can no longer change",
            ));
        }
        let cycle = read_cycle(&txn, row).await?;
        if !check_triads(triads, &cycle.areas).is_empty() {
            return Err(StoreError::Conflict(
                "The triads do not keep the rules: every area in one triad of three or four",
            ));
        }
        write_triads(&txn, id, triads).await?;
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by.user_id),
                "annual_cycle.triads_changed",
                AuditObject::new("programme_activity", id),
                format!("{} triads", triads.len()),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Publish a cycle's triads to the areas, once, with the emails telling them (written to
    /// the outbox in the same transaction).
    pub async fn publish_triads(
        &self,
        id: ProgrammeActivityId,
        by: &Principal,
        emails: Vec<crate::NewEmail>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let changed = annual_cycle::Entity::update_many()
            .col_expr(annual_cycle::Column::TriadsPublishedAt, Some(now).into())
            .filter(annual_cycle::Column::ActivityId.eq(id.as_uuid()))
            .filter(annual_cycle::Column::TriadsPublishedAt.is_null())
            .exec(&txn)
            .await?;
        if changed.rows_affected == 0 {
            return Err(StoreError::Conflict("the triads are already published"));
        }
        let cycle = annual_cycle::Entity::find_by_id(id.as_uuid())
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let cycle = read_cycle(&txn, cycle).await?;
        crate::self_assessment_versions::owe_self_assessments(
            &txn,
            id,
            &cycle.areas,
            cycle.timetable.self_assessment_due,
            by,
            now,
        )
        .await?;
        for email in emails {
            crate::outbox::enqueue(&txn, email, now).await?;
        }
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by.user_id),
                "annual_cycle.triads_published",
                AuditObject::new("programme_activity", id),
                "triads published to the areas",
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}
