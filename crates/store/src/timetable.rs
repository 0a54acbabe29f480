//! The visit timetable: a challenge's activities with their reviewers. Clashes are found by
//! `domain::timetable::find_clashes` over what this module returns; nothing here refuses a
//! clash, because the lead fixes it by editing. What is refused: changes once the visit
//! preparation has closed, and reviewers who do not hold a seat on this challenge's team.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use domain::challenge::MemberStatus;
use domain::timetable::{ActivityKind, ActivityPlan, ScheduledActivity};
use domain::{ActivityId, AuditEvent, AuditObject, ChallengeId, TeamMemberId, UserId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::challenges::state_of;
use crate::entity::{activity, activity_reviewer, challenge, team_member};
use crate::{Store, StoreError, audit};

const ACTIVITY_KIND: &str = "activity";
/// Times are stored as text, zero-padded, so they also sort as text.
const TIME_FORMAT: &str = "%H:%M";

/// One activity of the timetable, with the seats of the reviewers taking part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Activity {
    pub id: ActivityId,
    pub challenge: ChallengeId,
    pub day: NaiveDate,
    pub starts: NaiveTime,
    pub ends: NaiveTime,
    pub kind: ActivityKind,
    pub title: String,
    pub place: String,
    /// The number (from 1) of the challenge's KLOE the activity serves, if any.
    pub kloe: Option<u8>,
    /// Team member IDs, in the order they were chosen.
    pub reviewers: Vec<TeamMemberId>,
    pub updated_at: DateTime<Utc>,
}

impl Activity {
    /// The activity as the clash check sees it.
    pub fn scheduled(&self) -> ScheduledActivity {
        ScheduledActivity {
            id: self.id,
            day: self.day,
            starts: self.starts,
            ends: self.ends,
            title: self.title.clone(),
            place: self.place.clone(),
            reviewers: self.reviewers.clone(),
        }
    }

    /// The plan this activity was saved from, for an edit form to start from.
    pub fn plan(&self) -> ActivityPlan {
        ActivityPlan {
            day: self.day,
            starts: self.starts,
            ends: self.ends,
            kind: self.kind,
            title: self.title.clone(),
            place: self.place.clone(),
            kloe: self.kloe,
            reviewers: self.reviewers.clone(),
        }
    }
}

/// Refuse a change to the visit's timetable, case sample or pre-reading unless the challenge
/// exists (`NotFound`) and is at a stage where they may change (`Conflict`). Checked inside
/// the change's own transaction, so a challenge that moves on meanwhile is not changed.
pub(crate) async fn preparation_open(
    db: &impl ConnectionTrait,
    challenge: ChallengeId,
) -> Result<(), StoreError> {
    let row = challenge::Entity::find_by_id(challenge.as_uuid())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    if state_of(&row.state)?.may_prepare_visit() {
        Ok(())
    } else {
        Err(StoreError::Conflict(
            "The visit can no longer be changed at this stage of the challenge",
        ))
    }
}

fn time_of(text: &str) -> Result<NaiveTime, StoreError> {
    NaiveTime::parse_from_str(text, TIME_FORMAT).map_err(|_| StoreError::corrupt(text))
}

fn to_activity(
    row: activity::Model,
    reviewers: &BTreeMap<Uuid, Vec<TeamMemberId>>,
) -> Result<Activity, StoreError> {
    Ok(Activity {
        id: ActivityId::from_uuid(row.id),
        challenge: ChallengeId::from_uuid(row.challenge_id),
        day: row.day,
        starts: time_of(&row.starts)?,
        ends: time_of(&row.ends)?,
        kind: ActivityKind::parse(&row.kind).ok_or_else(|| StoreError::corrupt(&row.kind))?,
        title: row.title,
        place: row.place,
        kloe: row
            .kloe
            .map(|number| u8::try_from(number).map_err(StoreError::corrupt))
            .transpose()?,
        reviewers: reviewers.get(&row.id).cloned().unwrap_or_default(),
        updated_at: row.updated_at,
    })
}

/// The challenge's activities (or just `only`), by day and start.
async fn activities(
    db: &impl ConnectionTrait,
    challenge: ChallengeId,
    only: Option<ActivityId>,
) -> Result<Vec<Activity>, StoreError> {
    let mut query =
        activity::Entity::find().filter(activity::Column::ChallengeId.eq(challenge.as_uuid()));
    if let Some(id) = only {
        query = query.filter(activity::Column::Id.eq(id.as_uuid()));
    }
    let rows = query
        .order_by_asc(activity::Column::Day)
        .order_by_asc(activity::Column::Starts)
        .order_by_asc(activity::Column::Ends)
        .order_by_asc(activity::Column::Title)
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    // The seat order of the team, so reviewers read the same way in every activity.
    let seats: BTreeMap<Uuid, usize> = team_member::Entity::find()
        .filter(team_member::Column::ChallengeId.eq(challenge.as_uuid()))
        .order_by_asc(team_member::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .enumerate()
        .map(|(index, seat)| (seat.id, index))
        .collect();
    let mut reviewers: BTreeMap<Uuid, Vec<TeamMemberId>> = BTreeMap::new();
    for link in activity_reviewer::Entity::find()
        .filter(activity_reviewer::Column::ActivityId.is_in(ids))
        .all(db)
        .await?
    {
        reviewers
            .entry(link.activity_id)
            .or_default()
            .push(TeamMemberId::from_uuid(link.team_member_id));
    }
    for list in reviewers.values_mut() {
        list.sort_by_key(|id| seats.get(&id.as_uuid()).copied().unwrap_or(usize::MAX));
    }
    rows.into_iter()
        .map(|row| to_activity(row, &reviewers))
        .collect()
}

/// Every chosen reviewer must hold a seat (proposed, invited or accepted) on this challenge.
async fn check_reviewers(
    db: &impl ConnectionTrait,
    challenge: ChallengeId,
    reviewers: &[TeamMemberId],
) -> Result<(), StoreError> {
    if reviewers.is_empty() {
        return Ok(());
    }
    let holding: Vec<&str> = [
        MemberStatus::Proposed,
        MemberStatus::Invited,
        MemberStatus::Accepted,
    ]
    .iter()
    .map(|status| status.code())
    .collect();
    let found = team_member::Entity::find()
        .filter(team_member::Column::ChallengeId.eq(challenge.as_uuid()))
        .filter(team_member::Column::Status.is_in(holding))
        .filter(team_member::Column::Id.is_in(reviewers.iter().map(TeamMemberId::as_uuid)))
        .all(db)
        .await?;
    if reviewers
        .iter()
        .all(|id| found.iter().any(|seat| seat.id == id.as_uuid()))
    {
        Ok(())
    } else {
        Err(StoreError::Conflict("Choose reviewers from the team"))
    }
}

async fn link_reviewers(
    db: &impl ConnectionTrait,
    id: ActivityId,
    reviewers: &[TeamMemberId],
) -> Result<(), StoreError> {
    activity_reviewer::Entity::delete_many()
        .filter(activity_reviewer::Column::ActivityId.eq(id.as_uuid()))
        .exec(db)
        .await?;
    let mut seen = Vec::with_capacity(reviewers.len());
    for reviewer in reviewers {
        if seen.contains(reviewer) {
            continue;
        }
        seen.push(*reviewer);
        activity_reviewer::ActiveModel {
            activity_id: Set(id.as_uuid()),
            team_member_id: Set(reviewer.as_uuid()),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// What the audit log says about an activity: its kind, day, times and how many reviewers,
/// never its title or place, which people type freely.
fn describe(plan: &ActivityPlan, challenge: ChallengeId) -> String {
    format!(
        "{} on {} {}-{} with {} reviewer(s), challenge {challenge}",
        plan.kind.code(),
        plan.day,
        plan.starts.format(TIME_FORMAT),
        plan.ends.format(TIME_FORMAT),
        plan.reviewers.len()
    )
}

fn event(by: UserId, action: &'static str, id: ActivityId, summary: String) -> AuditEvent {
    AuditEvent::new(
        Some(by),
        action,
        AuditObject::new(ACTIVITY_KIND, id),
        summary,
    )
}

impl Store {
    /// The challenge's timetable, by day and start time.
    pub async fn timetable(&self, challenge: ChallengeId) -> Result<Vec<Activity>, StoreError> {
        activities(&self.db, challenge, None).await
    }

    /// One activity of the challenge (None if the challenge has no such activity).
    pub async fn activity(
        &self,
        challenge: ChallengeId,
        id: ActivityId,
    ) -> Result<Option<Activity>, StoreError> {
        Ok(activities(&self.db, challenge, Some(id)).await?.pop())
    }

    /// Add an activity while the visit is being prepared. Clashes are allowed (flagged on
    /// the page); reviewers must hold seats on the team.
    pub async fn add_activity(
        &self,
        challenge: ChallengeId,
        plan: &ActivityPlan,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<ActivityId, StoreError> {
        let txn = self.begin_write().await?;
        preparation_open(&txn, challenge).await?;
        check_reviewers(&txn, challenge, &plan.reviewers).await?;
        let id = ActivityId::new();
        activity::ActiveModel {
            id: Set(id.as_uuid()),
            challenge_id: Set(challenge.as_uuid()),
            day: Set(plan.day),
            starts: Set(plan.starts.format(TIME_FORMAT).to_string()),
            ends: Set(plan.ends.format(TIME_FORMAT).to_string()),
            kind: Set(plan.kind.code().to_owned()),
            title: Set(plan.title.clone()),
            place: Set(plan.place.clone()),
            kloe: Set(plan.kloe.map(i32::from)),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
        link_reviewers(&txn, id, &plan.reviewers).await?;
        audit::append(
            &txn,
            event(
                by,
                "timetable.activity_added",
                id,
                describe(plan, challenge),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Replace an activity's details and reviewers. `NotFound` if the challenge has no such
    /// activity.
    pub async fn update_activity(
        &self,
        challenge: ChallengeId,
        id: ActivityId,
        plan: &ActivityPlan,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        preparation_open(&txn, challenge).await?;
        check_reviewers(&txn, challenge, &plan.reviewers).await?;
        let existing = activity::Entity::find_by_id(id.as_uuid())
            .filter(activity::Column::ChallengeId.eq(challenge.as_uuid()))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        activity::ActiveModel {
            id: Set(existing.id),
            day: Set(plan.day),
            starts: Set(plan.starts.format(TIME_FORMAT).to_string()),
            ends: Set(plan.ends.format(TIME_FORMAT).to_string()),
            kind: Set(plan.kind.code().to_owned()),
            title: Set(plan.title.clone()),
            place: Set(plan.place.clone()),
            kloe: Set(plan.kloe.map(i32::from)),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(&txn)
        .await?;
        link_reviewers(&txn, id, &plan.reviewers).await?;
        audit::append(
            &txn,
            event(
                by,
                "timetable.activity_changed",
                id,
                describe(plan, challenge),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Remove an activity and its reviewers. `NotFound` if the challenge has no such activity.
    pub async fn delete_activity(
        &self,
        challenge: ChallengeId,
        id: ActivityId,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        preparation_open(&txn, challenge).await?;
        let existing = activities(&txn, challenge, Some(id))
            .await?
            .pop()
            .ok_or(StoreError::NotFound)?;
        activity_reviewer::Entity::delete_many()
            .filter(activity_reviewer::Column::ActivityId.eq(id.as_uuid()))
            .exec(&txn)
            .await?;
        activity::Entity::delete_by_id(id.as_uuid())
            .exec(&txn)
            .await?;
        audit::append(
            &txn,
            event(
                by,
                "timetable.activity_deleted",
                id,
                describe(&existing.plan(), challenge),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}
