//! Next steps: the actions each area keeps for a programme activity (a challenge's action
//! plan today), checked by `domain::next_steps`, with their progress notes; a history row
//! after every change, which the board's drill-down and chart read; and reminders, each
//! recorded with its email in one transaction so it is sent once.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::next_steps::{ActionEntry, ProgressNote, Rag};
use domain::programme::ActivityRef;
use domain::{
    ActionId, AuditEvent, AuditObject, AuthoritySlug, ChallengeId, Principal, Programme,
    ProgrammeActivityId, ThemeCode,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select, Set,
};
use uuid::Uuid;

use crate::challenges::state_of;
use crate::entity::{
    action, action_history, action_progress, action_reminder, challenge, programme_activity,
};
use crate::outbox::{NewEmail, enqueue};
use crate::{Store, StoreError, audit};

/// An action as the plan and the board show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedAction {
    pub id: ActionId,
    /// The programme activity the action answers (for a challenge, `activity.challenge`).
    pub activity: ActivityRef,
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

/// Where an action stands, for counts and the overdue list: what the region's page needs of
/// each action, read without its other fields, notes or history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionStanding {
    pub authority: AuthoritySlug,
    pub reference: String,
    pub action: String,
    pub rag: Rag,
    pub due: NaiveDate,
}

impl From<&PlannedAction> for ActionStanding {
    fn from(planned: &PlannedAction) -> Self {
        Self {
            authority: planned.authority.clone(),
            reference: planned.entry.reference.clone(),
            action: planned.entry.action.clone(),
            rag: planned.entry.rag,
            due: planned.entry.due,
        }
    }
}

/// Which next steps the board asks for: one area's or all, one programme's or all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NextStepFilter {
    pub area: Option<AuthoritySlug>,
    pub programme: Option<Programme>,
}

/// How many actions are open, and how many of those are past their due date.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ActionCounts {
    pub open: usize,
    pub overdue: usize,
}

/// What an upload did to the plan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PlanApplied {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
}

fn to_action(
    row: action::Model,
    activity: ActivityRef,
    progress: Vec<ProgressNote>,
) -> Result<PlannedAction, StoreError> {
    Ok(PlannedAction {
        id: ActionId::from_uuid(row.id),
        activity,
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
    let activities = crate::programmes::refs(db, rows.iter().map(|row| row.activity_id)).await?;
    rows.into_iter()
        .map(|row| {
            let progress = notes.remove(&row.id).unwrap_or_default();
            let activity = activities
                .get(&row.activity_id)
                .cloned()
                .ok_or_else(|| StoreError::corrupt(row.activity_id))?;
            to_action(row, activity, progress)
        })
        .collect()
}

/// Where an area's next steps for one activity are written.
pub(crate) struct PlanTarget {
    activity: ProgrammeActivityId,
    area: AuthoritySlug,
    /// "challenge <id>" or "thematic <id>", for the audit log.
    named: String,
}

/// A challenge's plan is its host's, built and updated at the next steps stage.
async fn plan_open(
    db: &impl ConnectionTrait,
    challenge: ChallengeId,
) -> Result<PlanTarget, StoreError> {
    let row = challenge::Entity::find_by_id(challenge.as_uuid())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    if state_of(&row.state)?.may_plan_next_steps() {
        Ok(PlanTarget {
            activity: challenge.into(),
            area: AuthoritySlug::parse(&row.authority_slug)
                .map_err(|_| StoreError::corrupt(&row.authority_slug))?,
            named: format!("challenge {}", row.id),
        })
    } else {
        Err(StoreError::Conflict(
            "The action plan can be changed only at the next steps stage",
        ))
    }
}

/// Any activity's plan for one of its areas; a challenge's follows the challenge's rules.
async fn target_open(
    db: &impl ConnectionTrait,
    activity: ProgrammeActivityId,
    area: &AuthoritySlug,
) -> Result<PlanTarget, StoreError> {
    let loaded = crate::programmes::load(db, activity)
        .await?
        .ok_or(StoreError::NotFound)?;
    if let Some(challenge) = loaded.activity.challenge {
        let target = plan_open(db, challenge).await?;
        return if &target.area == area {
            Ok(target)
        } else {
            Err(StoreError::Conflict(
                "A challenge's next steps are its host area's",
            ))
        };
    }
    if !loaded.areas.contains(area) {
        return Err(StoreError::Conflict(
            "This area takes no part in this activity",
        ));
    }
    Ok(PlanTarget {
        activity,
        area: area.clone(),
        named: format!("{} {}", loaded.activity.programme.code(), activity),
    })
}

/// Write `entry` as action `id` (new when `before` is None), with its notes and a history
/// row. Returns false when nothing changed.
async fn write_action(
    db: &impl ConnectionTrait,
    target: &PlanTarget,
    id: ActionId,
    before: Option<&ActionEntry>,
    entry: &ActionEntry,
    by: &Principal,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let summary = match before {
        None => "Added to the plan".to_owned(),
        Some(before) => match entry.changes_since(before) {
            Some(summary) => summary,
            None => return Ok(false),
        },
    };
    let model = action::ActiveModel {
        id: Set(id.as_uuid()),
        activity_id: Set(target.activity.as_uuid()),
        authority_slug: Set(target.area.as_str().to_owned()),
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
        format!("{summary} (action {} of {})", entry.reference, target.named),
    );
    audit::append(db, event, now).await?;
    Ok(true)
}

async fn plan_rows(
    db: &impl ConnectionTrait,
    target: &PlanTarget,
) -> Result<Vec<action::Model>, StoreError> {
    Ok(action::Entity::find()
        .filter(action::Column::ActivityId.eq(target.activity.as_uuid()))
        .filter(action::Column::AuthoritySlug.eq(target.area.as_str()))
        .order_by_asc(action::Column::Reference)
        .all(db)
        .await?)
}

/// Add an action (`existing` None) or change one of the target's. A reference the plan
/// already uses for another action is a `Conflict`.
async fn save_to(
    txn: &impl ConnectionTrait,
    target: &PlanTarget,
    existing: Option<ActionId>,
    entry: &ActionEntry,
    by: &Principal,
    now: DateTime<Utc>,
) -> Result<ActionId, StoreError> {
    let plan = with_progress(txn, plan_rows(txn, target).await?).await?;
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
    write_action(txn, target, id, before, entry, by, now).await?;
    Ok(id)
}

/// Rows whose reference the plan has change that action, others are added; actions not in
/// `entries` are kept.
async fn apply_to(
    txn: &impl ConnectionTrait,
    target: &PlanTarget,
    entries: &[ActionEntry],
    by: &Principal,
    now: DateTime<Utc>,
) -> Result<PlanApplied, StoreError> {
    let plan = with_progress(txn, plan_rows(txn, target).await?).await?;
    let mut applied = PlanApplied::default();
    for entry in entries {
        match plan.iter().find(|a| a.entry.reference == entry.reference) {
            Some(existing) => {
                if write_action(
                    txn,
                    target,
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
                write_action(txn, target, ActionId::new(), None, entry, by, now).await?;
                applied.added += 1;
            }
        }
    }
    Ok(applied)
}

/// The actions `filter` asks for, as a query to run or to nest in another statement.
fn filtered(filter: &NextStepFilter) -> Select<action::Entity> {
    let mut query = action::Entity::find();
    if let Some(area) = &filter.area {
        query = query.filter(action::Column::AuthoritySlug.eq(area.as_str()));
    }
    if let Some(programme) = filter.programme {
        query = query.filter(
            action::Column::ActivityId.in_subquery(
                programme_activity::Entity::find()
                    .select_only()
                    .column(programme_activity::Column::Id)
                    .filter(programme_activity::Column::Programme.eq(programme.code()))
                    .into_query(),
            ),
        );
    }
    query
}

/// The area, RAG status and due date of each action `filter` asks for: all that counting open
/// and overdue actions needs, in one statement that reads neither progress notes nor activities.
pub(crate) async fn statuses(
    db: &impl ConnectionTrait,
    filter: &NextStepFilter,
) -> Result<Vec<(AuthoritySlug, Rag, NaiveDate)>, StoreError> {
    let rows: Vec<(String, String, NaiveDate)> = filtered(filter)
        .select_only()
        .column(action::Column::AuthoritySlug)
        .column(action::Column::Rag)
        .column(action::Column::DueDate)
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(area, rag, due)| {
            let area = AuthoritySlug::parse(&area).map_err(|_| StoreError::corrupt(&area))?;
            let rag = Rag::parse(&rag).ok_or_else(|| StoreError::corrupt(&rag))?;
            Ok((area, rag, due))
        })
        .collect()
}

/// The actions `filter` asks for, by area then activity then reference.
async fn filtered_rows(
    db: &impl ConnectionTrait,
    filter: &NextStepFilter,
) -> Result<Vec<action::Model>, StoreError> {
    Ok(filtered(filter)
        .order_by_asc(action::Column::AuthoritySlug)
        .order_by_asc(action::Column::ActivityId)
        .order_by_asc(action::Column::Reference)
        .all(db)
        .await?)
}

impl Store {
    /// A challenge's action plan (its host's next steps for it), by reference.
    pub async fn action_plan(
        &self,
        challenge: ChallengeId,
    ) -> Result<Vec<PlannedAction>, StoreError> {
        let rows = action::Entity::find()
            .filter(action::Column::ActivityId.eq(challenge.as_uuid()))
            .order_by_asc(action::Column::Reference)
            .all(&self.db)
            .await?;
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

    /// Every area's actions (or one area's) across programmes, by area then reference.
    pub async fn actions(
        &self,
        area: Option<&AuthoritySlug>,
    ) -> Result<Vec<PlannedAction>, StoreError> {
        self.next_steps(&NextStepFilter {
            area: area.cloned(),
            programme: None,
        })
        .await
    }

    /// How many of the area's (or every area's) actions are open, and how many of those are
    /// overdue on `today`: the dashboard's summary, without reading the actions whole.
    pub async fn action_counts(
        &self,
        area: Option<&AuthoritySlug>,
        today: NaiveDate,
    ) -> Result<ActionCounts, StoreError> {
        let filter = NextStepFilter {
            area: area.cloned(),
            programme: None,
        };
        let statuses = statuses(&self.db, &filter).await?;
        Ok(ActionCounts {
            open: statuses.iter().filter(|(_, rag, _)| rag.is_open()).count(),
            overdue: statuses
                .iter()
                .filter(|(_, rag, due)| rag.is_overdue(*due, today))
                .count(),
        })
    }

    /// The next steps `filter` asks for: the board's view, by area, activity and reference.
    pub async fn next_steps(
        &self,
        filter: &NextStepFilter,
    ) -> Result<Vec<PlannedAction>, StoreError> {
        let rows = filtered_rows(&self.db, filter).await?;
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
        let target = plan_open(&txn, challenge).await?;
        let id = save_to(&txn, &target, existing, entry, by, now).await?;
        txn.commit().await?;
        Ok(id)
    }

    /// [`Store::save_action`] for any activity's next steps of one area it involves (a
    /// challenge's only at its next steps stage, and only its host's).
    pub async fn save_next_step(
        &self,
        activity: ProgrammeActivityId,
        area: &AuthoritySlug,
        existing: Option<ActionId>,
        entry: &ActionEntry,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<ActionId, StoreError> {
        let txn = self.begin_write().await?;
        let target = target_open(&txn, activity, area).await?;
        let id = save_to(&txn, &target, existing, entry, by, now).await?;
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
        let target = plan_open(&txn, challenge).await?;
        let applied = apply_to(&txn, &target, entries, by, now).await?;
        txn.commit().await?;
        Ok(applied)
    }

    /// [`Store::apply_action_plan`] for any activity's next steps of one area it involves.
    pub async fn apply_next_steps(
        &self,
        activity: ProgrammeActivityId,
        area: &AuthoritySlug,
        entries: &[ActionEntry],
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<PlanApplied, StoreError> {
        let txn = self.begin_write().await?;
        let target = target_open(&txn, activity, area).await?;
        let applied = apply_to(&txn, &target, entries, by, now).await?;
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
        self.next_step_rag_changes(&NextStepFilter {
            area: area.cloned(),
            programme: None,
        })
        .await
    }

    /// [`Store::rag_changes`] of the next steps `filter` asks for.
    pub async fn next_step_rag_changes(
        &self,
        filter: &NextStepFilter,
    ) -> Result<Vec<(ActionId, DateTime<Utc>, Rag)>, StoreError> {
        // One statement of three columns: the board's chart asks this on every view of the
        // progress page.
        action_history::Entity::find()
            .select_only()
            .column(action_history::Column::ActionId)
            .column(action_history::Column::At)
            .column(action_history::Column::Rag)
            .filter(
                action_history::Column::ActionId.in_subquery(
                    filtered(filter)
                        .select_only()
                        .column(action::Column::Id)
                        .into_query(),
                ),
            )
            .order_by_asc(action_history::Column::At)
            .into_tuple::<(Uuid, DateTime<Utc>, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|(action, at, rag)| {
                let rag = Rag::parse(&rag).ok_or_else(|| StoreError::corrupt(&rag))?;
                Ok((ActionId::from_uuid(action), at, rag))
            })
            .collect()
    }

    /// Where each action the filter selects stands, by area then reference, in one statement
    /// of five columns: the region's counts and overdue list on every view of its page.
    pub async fn next_step_standings(
        &self,
        filter: &NextStepFilter,
    ) -> Result<Vec<ActionStanding>, StoreError> {
        filtered(filter)
            .select_only()
            .column(action::Column::AuthoritySlug)
            .column(action::Column::Reference)
            .column(action::Column::Action)
            .column(action::Column::Rag)
            .column(action::Column::DueDate)
            .order_by_asc(action::Column::AuthoritySlug)
            .order_by_asc(action::Column::Reference)
            .into_tuple::<(String, String, String, String, NaiveDate)>()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|(authority, reference, action, rag, due)| {
                Ok(ActionStanding {
                    authority: AuthoritySlug::parse(&authority).map_err(StoreError::corrupt)?,
                    rag: Rag::parse(&rag).ok_or_else(|| StoreError::corrupt(&rag))?,
                    reference,
                    action,
                    due,
                })
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
