//! Returns: what one area owes for a programme activity by a due date (a challenge host's
//! action plan today), who owns it, its per-area extension (audited), its submission, and the
//! reminders already sent about it, each recorded with its emails in one transaction.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::programme::{ActivityRef, ReturnStanding, check_extension};
use domain::{
    AuditEvent, AuditObject, AuthoritySlug, ChallengeId, Principal, Programme, ReturnId,
    ReturnKind, Role, UserId,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::entity::{action, owed_return, programme_activity, return_reminder, user};
use crate::outbox::{NewEmail, enqueue};
use crate::users::grants_of;
use crate::{Store, StoreError, audit};

/// A return as the outstanding view, its page and the reminders read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwedReturn {
    pub id: ReturnId,
    pub activity: ActivityRef,
    pub area: AuthoritySlug,
    pub kind: ReturnKind,
    /// Who answers for it; None is the area's LA leads.
    pub owner: Option<UserId>,
    pub due: NaiveDate,
    pub extended_to: Option<NaiveDate>,
    pub extension_reason: Option<String>,
    pub submitted: Option<(DateTime<Utc>, String)>,
}

impl OwedReturn {
    pub fn standing(&self, today: NaiveDate) -> ReturnStanding {
        ReturnStanding::of(self.due, self.extended_to, self.submitted.is_some(), today)
    }
}

/// A return an area is to owe, as the co-ordinator sets it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewReturn {
    pub activity: domain::ProgrammeActivityId,
    pub area: AuthoritySlug,
    pub kind: ReturnKind,
    /// Who answers for it; None is the area's LA leads.
    pub owner: Option<UserId>,
    pub due: NaiveDate,
}

/// Which returns to list: all, one programme's, one area's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReturnFilter {
    pub area: Option<AuthoritySlug>,
    pub programme: Option<Programme>,
}

/// The return `id`, read in the transaction that changes it; one already submitted is a
/// `Conflict` worded `why`.
async fn unsubmitted(
    txn: &impl ConnectionTrait,
    id: ReturnId,
    why: &'static str,
) -> Result<owed_return::Model, StoreError> {
    // Held for the writing transaction, so a second writer waits and then reads it submitted.
    let row = owed_return::Entity::find_by_id(id.as_uuid())
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    if row.submitted_at.is_some() {
        return Err(StoreError::Conflict(why));
    }
    Ok(row)
}

fn to_return(row: owed_return::Model, activity: ActivityRef) -> Result<OwedReturn, StoreError> {
    Ok(OwedReturn {
        id: ReturnId::from_uuid(row.id),
        activity,
        area: AuthoritySlug::parse(&row.authority_slug)
            .map_err(|_| StoreError::corrupt(&row.authority_slug))?,
        kind: ReturnKind::parse(&row.kind).ok_or_else(|| StoreError::corrupt(&row.kind))?,
        owner: row.owner_id.map(UserId::from_uuid),
        due: row.due_date,
        extended_to: row.extended_to,
        extension_reason: row.extension_reason,
        submitted: row.submitted_at.zip(row.submitted_by),
    })
}

async fn read(
    db: &impl ConnectionTrait,
    rows: Vec<owed_return::Model>,
) -> Result<Vec<OwedReturn>, StoreError> {
    let activities = crate::programmes::refs(db, rows.iter().map(|r| r.activity_id)).await?;
    rows.into_iter()
        .map(|row| {
            let activity = activities
                .get(&row.activity_id)
                .cloned()
                .ok_or_else(|| StoreError::corrupt(row.activity_id))?;
            to_return(row, activity)
        })
        .collect()
}

/// A challenge reaching next steps owes its host's action plan, due in
/// [`domain::programme::ACTION_PLAN_WEEKS`]; in the move's own transaction. Moving back and
/// forth keeps the first.
pub(crate) async fn owe_action_plan(
    db: &impl ConnectionTrait,
    challenge: ChallengeId,
    host: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let owed = owed_return::Entity::find()
        .filter(owed_return::Column::ActivityId.eq(challenge.as_uuid()))
        .filter(owed_return::Column::Kind.eq(ReturnKind::ActionPlan.code()))
        .count(db)
        .await?;
    if owed > 0 {
        return Ok(());
    }
    owed_return::ActiveModel {
        id: Set(Uuid::new_v4()),
        activity_id: Set(challenge.as_uuid()),
        authority_slug: Set(host.to_owned()),
        kind: Set(ReturnKind::ActionPlan.code().to_owned()),
        owner_id: Set(None),
        due_date: Set(now.date_naive() + Duration::weeks(domain::programme::ACTION_PLAN_WEEKS)),
        extended_to: Set(None),
        extension_reason: Set(None),
        submitted_at: Set(None),
        submitted_by: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Every area in `areas` owes a return of `kind` for `activity`, due on `due`; in the
/// transaction of the step that makes it owed (a biennial cycle moving past its day). An area
/// that owes one already keeps it, so moving on again changes nothing.
pub(crate) async fn owe_each_area(
    db: &impl ConnectionTrait,
    activity: domain::ProgrammeActivityId,
    areas: &[AuthoritySlug],
    kind: ReturnKind,
    due: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let owing: Vec<String> = owed_return::Entity::find()
        .filter(owed_return::Column::ActivityId.eq(activity.as_uuid()))
        .filter(owed_return::Column::Kind.eq(kind.code()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.authority_slug)
        .collect();
    for area in areas {
        if owing.iter().any(|slug| slug == area.as_str()) {
            continue;
        }
        owed_return::ActiveModel {
            id: Set(Uuid::new_v4()),
            activity_id: Set(activity.as_uuid()),
            authority_slug: Set(area.as_str().to_owned()),
            kind: Set(kind.code().to_owned()),
            owner_id: Set(None),
            due_date: Set(due),
            extended_to: Set(None),
            extension_reason: Set(None),
            submitted_at: Set(None),
            submitted_by: Set(None),
            created_at: Set(now),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

impl Store {
    /// Returns `filter` asks for, by due date then area.
    pub async fn returns(&self, filter: &ReturnFilter) -> Result<Vec<OwedReturn>, StoreError> {
        let mut query = owed_return::Entity::find();
        if let Some(area) = &filter.area {
            query = query.filter(owed_return::Column::AuthoritySlug.eq(area.as_str()));
        }
        if let Some(programme) = filter.programme {
            let ids: Vec<Uuid> = programme_activity::Entity::find()
                .filter(programme_activity::Column::Programme.eq(programme.code()))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|row| row.id)
                .collect();
            query = query.filter(owed_return::Column::ActivityId.is_in(ids));
        }
        let rows = query
            .order_by_asc(owed_return::Column::DueDate)
            .order_by_asc(owed_return::Column::AuthoritySlug)
            .all(&self.db)
            .await?;
        read(&self.db, rows).await
    }

    /// One return (None if there is none).
    pub async fn owed_return(&self, id: ReturnId) -> Result<Option<OwedReturn>, StoreError> {
        let Some(row) = owed_return::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        Ok(read(&self.db, vec![row]).await?.pop())
    }

    /// A return owed by `area` for `activity` (a thematic event's next-steps template, ...),
    /// due on `due`. An area owes one of each kind per activity: a second is a `Conflict`.
    pub async fn owe_return(
        &self,
        new: &NewReturn,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<ReturnId, StoreError> {
        let NewReturn {
            activity,
            area,
            kind,
            owner,
            due,
        } = new.clone();
        let area = &area;
        let txn = self.begin_write().await?;
        let loaded = crate::programmes::load(&txn, activity)
            .await?
            .ok_or(StoreError::NotFound)?;
        if !loaded.areas.contains(area) {
            return Err(StoreError::Conflict(
                "This area takes no part in this activity",
            ));
        }
        let owed = owed_return::Entity::find()
            .filter(owed_return::Column::ActivityId.eq(activity.as_uuid()))
            .filter(owed_return::Column::AuthoritySlug.eq(area.as_str()))
            .filter(owed_return::Column::Kind.eq(kind.code()))
            .count(&txn)
            .await?;
        if owed > 0 {
            return Err(StoreError::Conflict("This area already owes this return"));
        }
        let id = ReturnId::new();
        owed_return::ActiveModel {
            id: Set(id.as_uuid()),
            activity_id: Set(activity.as_uuid()),
            authority_slug: Set(area.as_str().to_owned()),
            kind: Set(kind.code().to_owned()),
            owner_id: Set(owner.map(|o| o.as_uuid())),
            due_date: Set(due),
            extended_to: Set(None),
            extension_reason: Set(None),
            submitted_at: Set(None),
            submitted_by: Set(None),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by.user_id),
                "return.owed",
                AuditObject::new("return", id),
                format!("{} owed by {area}, due {due}", kind.code()),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Give one area's return a later date, with the reason, audited. Refused (`Conflict`)
    /// when the date is not later than the one it is due on now, or it is already in.
    pub async fn extend_return(
        &self,
        id: ReturnId,
        to: NaiveDate,
        reason: &str,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let row = owed_return::Entity::find_by_id(id.as_uuid())
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        check_extension(
            row.due_date,
            row.extended_to,
            row.submitted_at.is_some(),
            to,
        )
        .map_err(|problem| {
            StoreError::Conflict(match problem {
                domain::programme::ExtensionProblem::NotLater => {
                    "The new date must be after the date the return is due now"
                }
                domain::programme::ExtensionProblem::AlreadySubmitted => {
                    "This return has been submitted, so it needs no extension"
                }
            })
        })?;
        let before = row.extended_to.unwrap_or(row.due_date);
        let area = row.authority_slug.clone();
        let mut model: owed_return::ActiveModel = row.into();
        model.extended_to = Set(Some(to));
        model.extension_reason = Set(Some(reason.to_owned()));
        model.update(&txn).await?;
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by.user_id),
                "return.extended",
                AuditObject::new("return", id),
                format!("{area}'s return extended from {before} to {to}"),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Name `owner` (one of the area's LA leads) as the one who answers for the return and
    /// hears its reminders, or none (every LA lead of the area), audited. Someone who does not
    /// lead the area, or a return already in, is a `Conflict`.
    pub async fn assign_return_owner(
        &self,
        id: ReturnId,
        owner: Option<UserId>,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let row = unsubmitted(
            &txn,
            id,
            "This return has been submitted, so its owner can no longer change",
        )
        .await?;
        let named = match owner {
            None => "every LA lead of the area".to_owned(),
            Some(user) => {
                const NOT_A_LEAD: &str = "Choose one of the area's LA leads";
                let account = user::Entity::find_by_id(user.as_uuid())
                    .one(&txn)
                    .await?
                    .ok_or(StoreError::Conflict(NOT_A_LEAD))?;
                let leads_area =
                    grants_of(&txn, vec![account.id])
                        .await?
                        .iter()
                        .any(|(_, grant)| {
                            grant.role() == Role::LaLead
                                && grant.authority().map(AuthoritySlug::as_str)
                                    == Some(row.authority_slug.as_str())
                        });
                if !leads_area {
                    return Err(StoreError::Conflict(NOT_A_LEAD));
                }
                account.name
            }
        };
        let area = row.authority_slug.clone();
        let mut model: owed_return::ActiveModel = row.into();
        model.owner_id = Set(owner.map(|user| user.as_uuid()));
        model.update(&txn).await?;
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by.user_id),
                "return.owner_assigned",
                AuditObject::new("return", id),
                format!("{area}'s return now answered for by {named}"),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Mark a return submitted, audited. An action plan needs at least one action first;
    /// a return already in is a `Conflict`.
    pub async fn submit_return(
        &self,
        id: ReturnId,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let row = unsubmitted(&txn, id, "This return has been submitted already").await?;
        if matches!(
            ReturnKind::parse(&row.kind),
            Some(
                ReturnKind::ActionPlan
                    | ReturnKind::ThematicNextSteps
                    | ReturnKind::AnnualDevelopmentPlan
                    | ReturnKind::BiennialActions
            )
        ) {
            let actions = action::Entity::find()
                .filter(action::Column::ActivityId.eq(row.activity_id))
                .filter(action::Column::AuthoritySlug.eq(row.authority_slug.as_str()))
                .count(&txn)
                .await?;
            if actions == 0 {
                return Err(StoreError::Conflict(
                    "Add at least one action before submitting the plan",
                ));
            }
        }
        // A thematic event's next steps and a biennial cycle's agreed actions are due by a
        // date the whole region works to: after it (and any extension) the co-ordinator
        // extends first.
        if matches!(
            ReturnKind::parse(&row.kind),
            Some(ReturnKind::ThematicNextSteps | ReturnKind::BiennialActions)
        ) && domain::clock::uk_date(now) > row.extended_to.unwrap_or(row.due_date)
        {
            return Err(StoreError::Conflict(
                "the date for this return has passed: ask the co-ordinator for an extension",
            ));
        }
        let area = row.authority_slug.clone();
        let mut model: owed_return::ActiveModel = row.into();
        model.submitted_at = Set(Some(now));
        model.submitted_by = Set(Some(by.name.clone()));
        model.update(&txn).await?;
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by.user_id),
                "return.submitted",
                AuditObject::new("return", id),
                format!("{area}'s return submitted"),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Send a reminder about a return once: records (return, kind, occasion) and queues its
    /// emails in one transaction. False, with nothing queued, if it was sent before.
    pub async fn send_return_reminder_once(
        &self,
        id: ReturnId,
        kind: &str,
        occasion: &str,
        emails: Vec<NewEmail>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let txn = self.begin_write().await?;
        let sent = return_reminder::Entity::find()
            .filter(return_reminder::Column::ReturnId.eq(id.as_uuid()))
            .filter(return_reminder::Column::Kind.eq(kind))
            .filter(return_reminder::Column::Occasion.eq(occasion))
            .count(&txn)
            .await?;
        if sent > 0 {
            return Ok(false);
        }
        return_reminder::ActiveModel {
            return_id: Set(id.as_uuid()),
            kind: Set(kind.to_owned()),
            occasion: Set(occasion.to_owned()),
            sent_at: Set(now),
        }
        .insert(&txn)
        .await?;
        let count = emails.len();
        for email in emails {
            enqueue(&txn, email, now).await?;
        }
        audit::append(
            &txn,
            AuditEvent::new(
                None,
                "return.reminded",
                AuditObject::new("return", id),
                format!("{kind} reminder sent to {count} person(s)"),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(true)
    }
}
