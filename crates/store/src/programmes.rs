//! Programme activities: a challenge (its activity made with it, sharing its id), and the
//! thematic events and cycles to come, each in a region and involving areas. Next steps and
//! returns hang off an activity and an area.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::next_steps::Rag;
use domain::programme::ActivityRef;
use domain::{
    AuditEvent, AuditObject, AuthoritySlug, ChallengeId, Principal, Programme, ProgrammeActivityId,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use crate::entity::{
    action, local_authority, owed_return, programme_activity, programme_activity_area,
};
use crate::{Store, StoreError, audit};

/// An activity with the areas it involves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgrammeActivity {
    pub activity: ActivityRef,
    pub region: String,
    pub areas: Vec<AuthoritySlug>,
}

/// What the board's list of activities counts for each one: the areas owing it a return and
/// how many returns are owed and received, and its actions with how many are overdue.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActivityTally {
    /// Each area owing the activity a return, by slug.
    pub areas_owing: Vec<AuthoritySlug>,
    pub returns_owed: usize,
    pub returns_received: usize,
    pub actions: usize,
    /// Actions open and past their due date on the day asked about.
    pub overdue: usize,
}

fn count_of(raw: i64) -> Result<usize, StoreError> {
    usize::try_from(raw).map_err(|_| StoreError::corrupt(raw))
}

pub(crate) fn to_ref(row: &programme_activity::Model) -> Result<ActivityRef, StoreError> {
    Ok(ActivityRef {
        id: ProgrammeActivityId::from_uuid(row.id),
        programme: Programme::parse(&row.programme)
            .ok_or_else(|| StoreError::corrupt(&row.programme))?,
        title: row.title.clone(),
        challenge: row.challenge_id.map(ChallengeId::from_uuid),
    })
}

/// The activities `ids` name, by id.
pub(crate) async fn refs(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<BTreeMap<Uuid, ActivityRef>, StoreError> {
    let ids: Vec<Uuid> = ids.into_iter().collect();
    programme_activity::Entity::find()
        .filter(programme_activity::Column::Id.is_in(ids))
        .all(db)
        .await?
        .iter()
        .map(|row| Ok((row.id, to_ref(row)?)))
        .collect()
}

/// Hold `id`'s activity for the rest of the writing transaction `txn`, so that writers
/// checking its rules against its rows (an area's places, a person named once, a return
/// submitted once) take turns. SQLite's writers take turns already (`BEGIN IMMEDIATE`, see
/// `connect::WriteTransaction`) and the lock clause is left out there; PostgreSQL's read committed
/// transactions would otherwise each see the rows as they were before the other's commit.
pub(crate) async fn lock_activity(
    txn: &impl ConnectionTrait,
    id: ProgrammeActivityId,
) -> Result<(), StoreError> {
    programme_activity::Entity::find_by_id(id.as_uuid())
        .lock_exclusive()
        .one(txn)
        .await?
        .map(|_| ())
        .ok_or(StoreError::NotFound)
}

pub(crate) async fn region_of(
    db: &impl ConnectionTrait,
    area: &AuthoritySlug,
) -> Result<String, StoreError> {
    Ok(local_authority::Entity::find_by_id(area.as_str())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?
        .region_slug)
}

/// An activity's row and its areas, as written.
pub(crate) struct NewActivity<'a> {
    pub(crate) id: Uuid,
    pub(crate) programme: Programme,
    pub(crate) region: String,
    pub(crate) title: &'a str,
    pub(crate) challenge: Option<ChallengeId>,
    pub(crate) areas: &'a [AuthoritySlug],
}

pub(crate) async fn insert_activity(
    db: &impl ConnectionTrait,
    new: NewActivity<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let NewActivity {
        id,
        programme,
        region,
        title,
        challenge,
        areas,
    } = new;
    programme_activity::ActiveModel {
        id: Set(id),
        programme: Set(programme.code().to_owned()),
        region_slug: Set(region),
        title: Set(title.to_owned()),
        challenge_id: Set(challenge.map(|c| c.as_uuid())),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    for area in areas {
        programme_activity_area::ActiveModel {
            activity_id: Set(id),
            authority_slug: Set(area.as_str().to_owned()),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// A new challenge's activity, in the challenge's own transaction: same id, the host's
/// region, the host as its one area.
pub(crate) async fn add_challenge_activity(
    db: &impl ConnectionTrait,
    challenge: ChallengeId,
    reference: &str,
    host: &AuthoritySlug,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let region = region_of(db, host).await?;
    let new = NewActivity {
        id: challenge.as_uuid(),
        programme: Programme::Challenge,
        region,
        title: reference,
        challenge: Some(challenge),
        areas: std::slice::from_ref(host),
    };
    insert_activity(db, new, now).await
}

pub(crate) async fn load(
    db: &impl ConnectionTrait,
    id: ProgrammeActivityId,
) -> Result<Option<ProgrammeActivity>, StoreError> {
    let Some(row) = programme_activity::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let areas = programme_activity_area::Entity::find()
        .filter(programme_activity_area::Column::ActivityId.eq(row.id))
        .order_by_asc(programme_activity_area::Column::AuthoritySlug)
        .all(db)
        .await?
        .into_iter()
        .map(|a| {
            AuthoritySlug::parse(&a.authority_slug)
                .map_err(|_| StoreError::corrupt(&a.authority_slug))
        })
        .collect::<Result<_, _>>()?;
    Ok(Some(ProgrammeActivity {
        activity: to_ref(&row)?,
        region: row.region_slug,
        areas,
    }))
}

impl Store {
    /// A programme activity other than a challenge (challenges make theirs when requested):
    /// a thematic event or a cycle in `areas`' region, involving those areas. Audited.
    pub async fn create_programme_activity(
        &self,
        programme: Programme,
        title: &str,
        areas: &[AuthoritySlug],
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<ProgrammeActivityId, StoreError> {
        if programme == Programme::Challenge {
            return Err(StoreError::Conflict(
                "A challenge's activity is made with the challenge",
            ));
        }
        let first = areas.first().ok_or(StoreError::Conflict(
            "An activity involves at least one area",
        ))?;
        let txn = self.begin_write().await?;
        let region = region_of(&txn, first).await?;
        for area in &areas[1..] {
            if region_of(&txn, area).await? != region {
                return Err(StoreError::Conflict(
                    "An activity's areas are all in one region",
                ));
            }
        }
        let id = ProgrammeActivityId::new();
        let new = NewActivity {
            id: id.as_uuid(),
            programme,
            region,
            title,
            challenge: None,
            areas,
        };
        insert_activity(&txn, new, now).await?;
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by.user_id),
                "programme_activity.created",
                AuditObject::new("programme_activity", id),
                format!("{} activity with {} area(s)", programme.code(), areas.len()),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// One activity with its areas.
    pub async fn programme_activity(
        &self,
        id: ProgrammeActivityId,
    ) -> Result<Option<ProgrammeActivity>, StoreError> {
        load(&self.db, id).await
    }
}

/// A new activity other than a challenge's, in the caller's transaction (a thematic event is
/// written with its activity, sharing its id). The areas must all be in `region`.
pub(crate) async fn add_activity(
    db: &impl ConnectionTrait,
    id: ProgrammeActivityId,
    programme: Programme,
    title: &str,
    areas: &[AuthoritySlug],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let first = areas.first().ok_or(StoreError::Conflict(
        "An activity involves at least one area",
    ))?;
    let region = region_of(db, first).await?;
    for area in &areas[1..] {
        if region_of(db, area).await? != region {
            return Err(StoreError::Conflict(
                "An activity's areas are all in one region",
            ));
        }
    }
    let new = NewActivity {
        id: id.as_uuid(),
        programme,
        region,
        title,
        challenge: None,
        areas,
    };
    insert_activity(db, new, now).await
}

impl Store {
    /// Every activity's returns and actions counted in two grouped statements, however many
    /// activities and rows there are: an activity with neither is left out.
    pub async fn activity_tallies(
        &self,
        today: NaiveDate,
    ) -> Result<BTreeMap<ProgrammeActivityId, ActivityTally>, StoreError> {
        let mut tallies: BTreeMap<ProgrammeActivityId, ActivityTally> = BTreeMap::new();
        let returns: Vec<(Uuid, String, i64, i64)> = owed_return::Entity::find()
            .select_only()
            .column(owed_return::Column::ActivityId)
            .column(owed_return::Column::AuthoritySlug)
            .column_as(owed_return::Column::Id.count(), "owed")
            .column_as(owed_return::Column::SubmittedAt.count(), "received")
            .group_by(owed_return::Column::ActivityId)
            .group_by(owed_return::Column::AuthoritySlug)
            .order_by_asc(owed_return::Column::AuthoritySlug)
            .into_tuple()
            .all(&self.db)
            .await?;
        for (activity, area, owed, received) in returns {
            let tally = tallies
                .entry(ProgrammeActivityId::from_uuid(activity))
                .or_default();
            tally
                .areas_owing
                .push(AuthoritySlug::parse(&area).map_err(|_| StoreError::corrupt(&area))?);
            tally.returns_owed += count_of(owed)?;
            tally.returns_received += count_of(received)?;
        }
        // Grouped by status and due date, so whether an action is overdue stays the domain's
        // rule (`Rag::is_overdue`) and the rows read stay few.
        let actions: Vec<(Uuid, String, NaiveDate, i64)> = action::Entity::find()
            .select_only()
            .column(action::Column::ActivityId)
            .column(action::Column::Rag)
            .column(action::Column::DueDate)
            .column_as(action::Column::Id.count(), "actions")
            .group_by(action::Column::ActivityId)
            .group_by(action::Column::Rag)
            .group_by(action::Column::DueDate)
            .into_tuple()
            .all(&self.db)
            .await?;
        for (activity, rag, due, count) in actions {
            let rag = Rag::parse(&rag).ok_or_else(|| StoreError::corrupt(&rag))?;
            let count = count_of(count)?;
            let tally = tallies
                .entry(ProgrammeActivityId::from_uuid(activity))
                .or_default();
            tally.actions += count;
            if rag.is_overdue(due, today) {
                tally.overdue += count;
            }
        }
        Ok(tallies)
    }
}
