//! Next steps: the actions of each area's plan, checked by `domain::next_steps`, with their
//! progress notes; a history row after every change, which the board's drill-down and chart
//! read; and reminders, each recorded with its email in one transaction so it is sent once.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::next_steps::{ActionEntry, ProgressNote, Rag};
use domain::{ActionId, AuditEvent, AuditObject, AuthoritySlug, ChallengeId, Principal, ThemeCode};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::challenges::state_of;
use crate::entity::{action, action_history, action_progress, action_reminder, challenge};
use crate::outbox::{NewEmail, enqueue};
use crate::{Store, StoreError, audit};

/// An action as the plan and the board show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedAction {
    pub id: ActionId,
    pub challenge: ChallengeId,
    pub authority: AuthoritySlug,
    pub entry: ActionEntry,
    pub updated_at: DateTime<Utc>,
}

/// One change in an action's history: how it stood afterwards, and what changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionChange {
    pub at: DateTime<Utc>,
    pub by_name: String,
    pub rag: Rag,
    pub due: NaiveDate,
    pub summary: String,
}

/// What an upload did to the plan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PlanApplied {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
}

fn to_action(row: action::Model, progress: Vec<ProgressNote>) -> Result<PlannedAction, StoreError> {
    Ok(PlannedAction {
        id: ActionId::from_uuid(row.id),
        challenge: ChallengeId::from_uuid(row.challenge_id),
        authority: AuthoritySlug::parse(&row.authority_slug)
            .map_err(|_| StoreError::corrupt(&row.authority_slug))?,
        entry: ActionEntry {
            reference: row.reference,
            answers: row.answers,
            theme: ThemeCode::parse(&row.theme).ok_or_else(|| StoreError::corrupt(&row.theme))?,
            action: row.action,
            owner: row.owner,
            partners: row.partners,
            start: row.start_date,
            due: row.due_date,
            milestones: row.milestones,
            baseline: row.baseline,
            target: row.target,
            rag: Rag::parse(&row.rag).ok_or_else(|| StoreError::corrupt(&row.rag))?,
            progress,
            impact: row.impact,
        },
        updated_at: row.updated_at,
    })
}

async fn with_progress(
    db: &impl ConnectionTrait,
    rows: Vec<action::Model>,
) -> Result<Vec<PlannedAction>, StoreError> {
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    let mut notes: BTreeMap<Uuid, Vec<ProgressNote>> = BTreeMap::new();
    for note in action_progress::Entity::find()
        .filter(action_progress::Column::ActionId.is_in(ids))
        .order_by_asc(action_progress::Column::NotedOn)
        .all(db)
        .await?
    {
        notes.entry(note.action_id).or_default().push(ProgressNote {
            on: note.noted_on,
            text: note.text,
        });
    }
    rows.into_iter()
        .map(|row| {
            let progress = notes.remove(&row.id).unwrap_or_default();
            to_action(row, progress)
        })
        .collect()
}

/// The plan is built and updated at the next steps stage.
async fn plan_open(
    db: &impl ConnectionTrait,
    challenge: ChallengeId,
) -> Result<challenge::Model, StoreError> {
    let row = challenge::Entity::find_by_id(challenge.as_uuid())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    if state_of(&row.state)?.may_plan_next_steps() {
        Ok(row)
    } else {
        Err(StoreError::Conflict(
            "The action plan can be changed only at the next steps stage",
        ))
    }
}

/// What changed between two versions of an action, in words for the history.
fn describe_change(before: &ActionEntry, after: &ActionEntry) -> Option<String> {
    let mut changes = Vec::new();
    if before.rag != after.rag {
        changes.push(format!(
            "RAG {} to {}",
            before.rag.label(),
            after.rag.label()
        ));
    }
    if before.due != after.due {
        changes.push(format!(
            "due date {} to {}",
            before.due.format("%-d %B %Y"),
            after.due.format("%-d %B %Y")
        ));
    }
    let added = after
        .progress
        .iter()
        .filter(|note| !before.progress.contains(note))
        .count();
    let gone = before
        .progress
        .iter()
        .filter(|note| !after.progress.contains(note))
        .count();
    match (added, gone) {
        (0, 0) => {}
        (added, 0) => changes.push(format!("{added} progress note(s) added")),
        (0, gone) => changes.push(format!("{gone} progress note(s) removed")),
        (added, gone) => changes.push(format!(
            "progress notes changed ({added} new or edited, {gone} replaced or removed)"
        )),
    }
    let rest_changed = ActionEntry {
        rag: after.rag,
        due: after.due,
        progress: after.progress.clone(),
        ..before.clone()
    } != *after;
    if rest_changed {
        changes.push("details changed".to_owned());
    }
    (!changes.is_empty()).then(|| {
        let mut summary = changes.join(", ");
        summary[..1].make_ascii_uppercase();
        summary
    })
}

/// Write `entry` as action `id` (new when `before` is None), with its notes and a history
/// row. Returns false when nothing changed.
async fn write_action(
    db: &impl ConnectionTrait,
    challenge: &challenge::Model,
    id: ActionId,
    before: Option<&ActionEntry>,
    entry: &ActionEntry,
    by: &Principal,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let summary = match before {
        None => "Added to the plan".to_owned(),
        Some(before) => match describe_change(before, entry) {
            Some(summary) => summary,
            None => return Ok(false),
        },
    };
    let model = action::ActiveModel {
        id: Set(id.as_uuid()),
        challenge_id: Set(challenge.id),
        authority_slug: Set(challenge.authority_slug.clone()),
        reference: Set(entry.reference.clone()),
        answers: Set(entry.answers.clone()),
        theme: Set(entry.theme.to_string()),
        action: Set(entry.action.clone()),
        owner: Set(entry.owner.clone()),
        partners: Set(entry.partners.clone()),
        start_date: Set(entry.start),
        due_date: Set(entry.due),
        milestones: Set(entry.milestones.clone()),
        baseline: Set(entry.baseline.clone()),
        target: Set(entry.target.clone()),
        rag: Set(entry.rag.code().to_owned()),
        impact: Set(entry.impact.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    if before.is_some() {
        let mut model = model;
        model.created_at = sea_orm::ActiveValue::NotSet;
        model.update(db).await?;
        action_progress::Entity::delete_many()
            .filter(action_progress::Column::ActionId.eq(id.as_uuid()))
            .exec(db)
            .await?;
    } else {
        model.insert(db).await?;
    }
    for note in &entry.progress {
        action_progress::ActiveModel {
            id: Set(Uuid::new_v4()),
            action_id: Set(id.as_uuid()),
            noted_on: Set(note.on),
            text: Set(note.text.clone()),
        }
        .insert(db)
        .await?;
    }
    action_history::ActiveModel {
        id: Set(Uuid::new_v4()),
        action_id: Set(id.as_uuid()),
        at: Set(now),
        by_name: Set(by.name.clone()),
        rag: Set(entry.rag.code().to_owned()),
        due_date: Set(entry.due),
        summary: Set(summary.clone()),
    }
    .insert(db)
    .await?;
    let event = AuditEvent::new(
        Some(by.user_id),
        if before.is_some() {
            "action.changed"
        } else {
            "action.added"
        },
        AuditObject::new("action", id),
        format!(
            "{summary} (action {} of challenge {})",
            entry.reference, challenge.id
        ),
    );
    audit::append(db, event, now).await?;
    Ok(true)
}

async fn plan_rows(
    db: &impl ConnectionTrait,
    challenge: ChallengeId,
) -> Result<Vec<action::Model>, StoreError> {
    Ok(action::Entity::find()
        .filter(action::Column::ChallengeId.eq(challenge.as_uuid()))
        .order_by_asc(action::Column::Reference)
        .all(db)
        .await?)
}

impl Store {
    /// A challenge's action plan, by reference.
    pub async fn action_plan(
        &self,
        challenge: ChallengeId,
    ) -> Result<Vec<PlannedAction>, StoreError> {
        let rows = plan_rows(&self.db, challenge).await?;
        with_progress(&self.db, rows).await
    }

    /// One action (None if there is no such action).
    pub async fn action(&self, id: ActionId) -> Result<Option<PlannedAction>, StoreError> {
        let Some(row) = action::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        Ok(with_progress(&self.db, vec![row]).await?.pop())
    }

    /// Every area's actions (or one area's), by area then reference: the board's view.
    pub async fn actions(
        &self,
        area: Option<&AuthoritySlug>,
    ) -> Result<Vec<PlannedAction>, StoreError> {
        let mut query = action::Entity::find();
        if let Some(area) = area {
            query = query.filter(action::Column::AuthoritySlug.eq(area.as_str()));
        }
        let rows = query
            .order_by_asc(action::Column::AuthoritySlug)
            .order_by_asc(action::Column::Reference)
            .all(&self.db)
            .await?;
        with_progress(&self.db, rows).await
    }

    /// Add an action (`existing` None) or change one of the challenge's. A reference the plan
    /// already uses for another action is a `Conflict`, as is any change outside next steps.
    pub async fn save_action(
        &self,
        challenge: ChallengeId,
        existing: Option<ActionId>,
        entry: &ActionEntry,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<ActionId, StoreError> {
        let txn = self.begin_write().await?;
        let record = plan_open(&txn, challenge).await?;
        let plan = with_progress(&txn, plan_rows(&txn, challenge).await?).await?;
        if plan
            .iter()
            .any(|other| other.entry.reference == entry.reference && Some(other.id) != existing)
        {
            return Err(StoreError::Conflict(
                "Another action in this plan already has this reference",
            ));
        }
        let (id, before) = match existing {
            Some(id) => {
                let before = plan
                    .iter()
                    .find(|a| a.id == id)
                    .ok_or(StoreError::NotFound)?;
                (id, Some(&before.entry))
            }
            None => (ActionId::new(), None),
        };
        write_action(&txn, &record, id, before, entry, by, now).await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Apply a whole uploaded plan in one transaction: rows whose reference the plan has
    /// change that action, others are added; actions not in the upload are kept. All or
    /// nothing: any failure leaves the plan as it was.
    pub async fn apply_action_plan(
        &self,
        challenge: ChallengeId,
        entries: &[ActionEntry],
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<PlanApplied, StoreError> {
        let txn = self.begin_write().await?;
        let record = plan_open(&txn, challenge).await?;
        let plan = with_progress(&txn, plan_rows(&txn, challenge).await?).await?;
        let mut applied = PlanApplied::default();
        for entry in entries {
            match plan.iter().find(|a| a.entry.reference == entry.reference) {
                Some(existing) => {
                    if write_action(
                        &txn,
                        &record,
                        existing.id,
                        Some(&existing.entry),
                        entry,
                        by,
                        now,
                    )
                    .await?
                    {
                        applied.changed += 1;
                    } else {
                        applied.unchanged += 1;
                    }
                }
                None => {
                    write_action(&txn, &record, ActionId::new(), None, entry, by, now).await?;
                    applied.added += 1;
                }
            }
        }
        txn.commit().await?;
        Ok(applied)
    }

    /// An action's history, oldest first.
    pub async fn action_history(&self, id: ActionId) -> Result<Vec<ActionChange>, StoreError> {
        action_history::Entity::find()
            .filter(action_history::Column::ActionId.eq(id.as_uuid()))
            .order_by_asc(action_history::Column::At)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| {
                Ok(ActionChange {
                    at: row.at,
                    by_name: row.by_name,
                    rag: Rag::parse(&row.rag).ok_or_else(|| StoreError::corrupt(&row.rag))?,
                    due: row.due_date,
                    summary: row.summary,
                })
            })
            .collect()
    }

    /// Every history row of the area's (or every area's) actions, oldest first, as
    /// (action, when, RAG afterwards): the chart of progress over time replays them.
    pub async fn rag_changes(
        &self,
        area: Option<&AuthoritySlug>,
    ) -> Result<Vec<(ActionId, DateTime<Utc>, Rag)>, StoreError> {
        let ids: Vec<Uuid> = self
            .actions(area)
            .await?
            .iter()
            .map(|a| a.id.as_uuid())
            .collect();
        action_history::Entity::find()
            .filter(action_history::Column::ActionId.is_in(ids))
            .order_by_asc(action_history::Column::At)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| {
                let rag = Rag::parse(&row.rag).ok_or_else(|| StoreError::corrupt(&row.rag))?;
                Ok((ActionId::from_uuid(row.action_id), row.at, rag))
            })
            .collect()
    }

    /// Send a reminder about an action once: records (action, kind, occasion) and queues its
    /// emails in one transaction. False, with nothing queued, if it was sent before.
    pub async fn send_reminder_once(
        &self,
        action: ActionId,
        kind: &str,
        occasion: &str,
        emails: Vec<NewEmail>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let txn = self.begin_write().await?;
        let sent = action_reminder::Entity::find()
            .filter(action_reminder::Column::ActionId.eq(action.as_uuid()))
            .filter(action_reminder::Column::Kind.eq(kind))
            .filter(action_reminder::Column::Occasion.eq(occasion))
            .count(&txn)
            .await?;
        if sent > 0 {
            return Ok(false);
        }
        action_reminder::ActiveModel {
            action_id: Set(action.as_uuid()),
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
        let event = AuditEvent::new(
            None,
            "action.reminded",
            AuditObject::new("action", action),
            format!("{kind} reminder sent to {count} lead(s)"),
        );
        audit::append(&txn, event, now).await?;
        txn.commit().await?;
        Ok(true)
    }
}
