//! What waits on each person: the queries behind the dashboard's to-do lists. Each item names
//! the challenge (or area) and the task; an item goes away once its task is done, because
//! every query asks for the state that the doing changes.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use domain::challenge::MemberStatus;
use domain::findings::ReportStatus;
use domain::lifecycle::ChallengeState;
use domain::programme::ActivityRef;
use domain::{AuthoritySlug, ChallengeId, UserId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::challenges::state_of;
use crate::entity::{
    challenge, challenge_seat, challenge_visit_day, evidence_note, finding, finding_comment,
    local_authority, pool_member, report_comment, report_version, team_member,
};
use crate::next_steps::statuses;
use crate::{NextStepFilter, Store, StoreError};

/// Something a person has to do about a challenge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkTask {
    /// A reviewer's invitation to join the team, not yet answered.
    AnswerInvitation,
    /// A visit the reviewer has accepted, on this day.
    ComingVisit(NaiveDate),
    /// The visit is under way and the reviewer has recorded nothing yet, or has drafts.
    RecordEvidence,
    /// Reporting: the team's findings wait for the reviewer's comments.
    CommentOnFindings,
    /// The host's KLOEs, still a draft.
    AgreeKloes,
    /// The team is confirmed; the host builds and publishes the timetable.
    BuildTimetable,
    /// A report version shared with the host, not yet commented on by this lead.
    CheckReport,
    /// A request waiting to be accepted and scoped.
    ScopeRequest,
    /// Scoping: the team to propose.
    ProposeTeam,
    /// A seat freed by a decline or a conflict, not yet filled again.
    RecomposeTeam,
    /// Reporting with no final report yet.
    FinishReport,
}

/// One line of a to-do list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkItem {
    pub challenge: ChallengeId,
    pub reference: String,
    pub authority: AuthoritySlug,
    pub authority_name: String,
    pub task: WorkTask,
}

/// An area's open next steps for one programme activity that are due within the fortnight
/// or overdue: a lead's reminder to update them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NextStepsDue {
    pub activity: ActivityRef,
    pub authority: AuthoritySlug,
    pub due_soon: usize,
    pub overdue: usize,
}

/// An area with actions past their due date, for the board.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverdueArea {
    pub authority: AuthoritySlug,
    pub authority_name: String,
    pub overdue: usize,
}

/// Actions due within this many days are worth a lead's attention now.
const DUE_SOON_DAYS: i64 = 14;

struct Challenges {
    rows: Vec<challenge::Model>,
    names: HashMap<String, String>,
}

impl Challenges {
    fn item(&self, row: &challenge::Model, task: WorkTask) -> Result<WorkItem, StoreError> {
        Ok(WorkItem {
            challenge: ChallengeId::from_uuid(row.id),
            reference: row.reference.clone(),
            authority: AuthoritySlug::parse(&row.authority_slug)
                .map_err(|_| StoreError::corrupt(&row.authority_slug))?,
            authority_name: self
                .names
                .get(&row.authority_slug)
                .cloned()
                .unwrap_or_else(|| row.authority_slug.clone()),
            task,
        })
    }
}

impl Store {
    async fn open_challenges(&self, ids: Option<&[Uuid]>) -> Result<Challenges, StoreError> {
        let mut query = challenge::Entity::find().filter(challenge::Column::State.is_not_in([
            ChallengeState::Closed.code(),
            ChallengeState::Cancelled.code(),
        ]));
        if let Some(ids) = ids {
            query = query.filter(challenge::Column::Id.is_in(ids.iter().copied()));
        }
        let mut rows = query.all(&self.db).await?;
        rows.sort_by(|a, b| a.reference.cmp(&b.reference));
        let names = local_authority::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| (row.slug, row.name))
            .collect();
        Ok(Challenges { rows, names })
    }

    /// A reviewer's invitations to answer, coming visits, evidence to record and findings to
    /// comment on, over the seats their account holds.
    pub async fn reviewer_work(
        &self,
        user: UserId,
        today: NaiveDate,
    ) -> Result<Vec<WorkItem>, StoreError> {
        let Some(person) = pool_member::Entity::find()
            .filter(pool_member::Column::UserId.eq(user.as_uuid()))
            .one(&self.db)
            .await?
        else {
            return Ok(Vec::new());
        };
        let seats: HashMap<Uuid, String> = team_member::Entity::find()
            .filter(team_member::Column::MemberId.eq(person.id))
            .filter(
                team_member::Column::Status
                    .is_in([MemberStatus::Invited.code(), MemberStatus::Accepted.code()]),
            )
            .all(&self.db)
            .await?
            .into_iter()
            .map(|seat| (seat.challenge_id, seat.status))
            .collect();
        let ids: Vec<Uuid> = seats.keys().copied().collect();
        let open = self.open_challenges(Some(&ids)).await?;
        let mut items = Vec::new();
        for row in &open.rows {
            let state = state_of(&row.state)?;
            let invited =
                seats.get(&row.id).map(String::as_str) == Some(MemberStatus::Invited.code());
            let task = if invited {
                Some(WorkTask::AnswerInvitation)
            } else {
                match state {
                    ChallengeState::TeamConfirmed | ChallengeState::Scheduled => self
                        .first_day(row.id)
                        .await?
                        .filter(|day| *day >= today)
                        .map(WorkTask::ComingVisit),
                    ChallengeState::Visit => self
                        .evidence_waits(row.id, user)
                        .await?
                        .then_some(WorkTask::RecordEvidence),
                    ChallengeState::Reporting => self
                        .findings_wait(row.id, user)
                        .await?
                        .then_some(WorkTask::CommentOnFindings),
                    _ => None,
                }
            };
            if let Some(task) = task {
                items.push(open.item(row, task)?);
            }
        }
        Ok(items)
    }

    /// An LA lead's challenge work in the areas they lead: KLOEs to agree, a timetable to
    /// build, a shared report to check for accuracy. (Next steps due, from every programme,
    /// are [`Store::next_steps_due`].)
    pub async fn lead_work(
        &self,
        user: UserId,
        areas: &[AuthoritySlug],
    ) -> Result<Vec<WorkItem>, StoreError> {
        let open = self.open_challenges(None).await?;
        let mut items = Vec::new();
        for row in &open.rows {
            if !areas.iter().any(|area| area.as_str() == row.authority_slug) {
                continue;
            }
            let task = match state_of(&row.state)? {
                ChallengeState::Requested | ChallengeState::Scoping
                    if row.kloes_agreed_at.is_none() =>
                {
                    Some(WorkTask::AgreeKloes)
                }
                ChallengeState::TeamConfirmed => Some(WorkTask::BuildTimetable),
                ChallengeState::Reporting => self
                    .report_to_check(row.id, user)
                    .await?
                    .then_some(WorkTask::CheckReport),
                _ => None,
            };
            if let Some(task) = task {
                items.push(open.item(row, task)?);
            }
        }
        Ok(items)
    }

    /// The next steps of `areas`, from every programme, with actions due within the fortnight
    /// or overdue, one item per area and activity. Activities that have since closed count:
    /// the board still watches their next steps.
    pub async fn next_steps_due(
        &self,
        areas: &[AuthoritySlug],
        today: NaiveDate,
    ) -> Result<Vec<NextStepsDue>, StoreError> {
        let mut due: Vec<NextStepsDue> = Vec::new();
        for area in areas {
            for action in self.actions(Some(area)).await? {
                let entry = &action.entry;
                let soon = entry.rag.is_open()
                    && (entry.due - today).num_days() <= DUE_SOON_DAYS
                    && !entry.is_overdue(today);
                let overdue = entry.is_overdue(today);
                if !soon && !overdue {
                    continue;
                }
                let position = due.iter().position(|item| {
                    item.activity.id == action.activity.id && item.authority == action.authority
                });
                let item = match position {
                    Some(index) => &mut due[index],
                    None => {
                        due.push(NextStepsDue {
                            activity: action.activity.clone(),
                            authority: action.authority.clone(),
                            due_soon: 0,
                            overdue: 0,
                        });
                        due.last_mut().expect("just pushed")
                    }
                };
                item.due_soon += usize::from(soon);
                item.overdue += usize::from(overdue);
            }
        }
        Ok(due)
    }

    /// The scheme's work for co-ordinators and project managers: requests to scope, teams to
    /// propose or re-compose after a decline, and reports to finish.
    pub async fn scheme_work(&self) -> Result<Vec<WorkItem>, StoreError> {
        let open = self.open_challenges(None).await?;
        // The teams, seats and final reports of every open challenge in three statements, not
        // two per challenge: the co-ordinator's and project manager's dashboards ask this on
        // every view.
        let ids: Vec<Uuid> = open.rows.iter().map(|row| row.id).collect();
        let members = team_member::Entity::find()
            .filter(team_member::Column::ChallengeId.is_in(ids.clone()))
            .all(&self.db)
            .await?;
        let seats = challenge_seat::Entity::find()
            .filter(challenge_seat::Column::ChallengeId.is_in(ids.clone()))
            .all(&self.db)
            .await?;
        let finished: HashSet<Uuid> = report_version::Entity::find()
            .select_only()
            .column(report_version::Column::ChallengeId)
            .filter(report_version::Column::ChallengeId.is_in(ids))
            .filter(report_version::Column::Status.eq(ReportStatus::Final.code()))
            .into_tuple()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let mut items = Vec::new();
        for row in &open.rows {
            let task = match state_of(&row.state)? {
                ChallengeState::Requested => Some(WorkTask::ScopeRequest),
                ChallengeState::Scoping => Some(WorkTask::ProposeTeam),
                ChallengeState::TeamProposed
                | ChallengeState::TeamConfirmed
                | ChallengeState::Scheduled => {
                    seat_freed(row.id, &members, &seats).then_some(WorkTask::RecomposeTeam)
                }
                ChallengeState::Reporting => {
                    (!finished.contains(&row.id)).then_some(WorkTask::FinishReport)
                }
                _ => None,
            };
            if let Some(task) = task {
                items.push(open.item(row, task)?);
            }
        }
        Ok(items)
    }

    /// Areas with open actions past their due date, most overdue first.
    pub async fn overdue_areas(&self, today: NaiveDate) -> Result<Vec<OverdueArea>, StoreError> {
        let mut counts: BTreeMap<AuthoritySlug, usize> = BTreeMap::new();
        for (area, rag, due) in statuses(&self.db, &NextStepFilter::default()).await? {
            if rag.is_overdue(due, today) {
                *counts.entry(area).or_default() += 1;
            }
        }
        let names: HashMap<String, String> = local_authority::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| (row.slug, row.name))
            .collect();
        let mut areas: Vec<OverdueArea> = counts
            .into_iter()
            .map(|(authority, overdue)| OverdueArea {
                authority_name: names
                    .get(authority.as_str())
                    .cloned()
                    .unwrap_or_else(|| authority.to_string()),
                authority,
                overdue,
            })
            .collect();
        areas.sort_by(|a, b| {
            b.overdue
                .cmp(&a.overdue)
                .then(a.authority.cmp(&b.authority))
        });
        Ok(areas)
    }

    async fn first_day(&self, challenge: Uuid) -> Result<Option<NaiveDate>, StoreError> {
        Ok(challenge_visit_day::Entity::find()
            .filter(challenge_visit_day::Column::ChallengeId.eq(challenge))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| row.day)
            .min())
    }

    /// Nothing recorded yet by this reviewer, or a draft still to finish.
    async fn evidence_waits(&self, challenge: Uuid, user: UserId) -> Result<bool, StoreError> {
        let notes = evidence_note::Entity::find()
            .filter(evidence_note::Column::ChallengeId.eq(challenge))
            .filter(evidence_note::Column::AuthorId.eq(user.as_uuid()))
            .all(&self.db)
            .await?;
        Ok(notes.is_empty() || notes.iter().any(|note| note.status != "recorded"))
    }

    /// Findings written and not one comment from this reviewer yet.
    async fn findings_wait(&self, challenge: Uuid, user: UserId) -> Result<bool, StoreError> {
        let findings: Vec<Uuid> = finding::Entity::find()
            .filter(finding::Column::ChallengeId.eq(challenge))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| row.id)
            .collect();
        if findings.is_empty() {
            return Ok(false);
        }
        let commented = finding_comment::Entity::find()
            .filter(finding_comment::Column::FindingId.is_in(findings))
            .filter(finding_comment::Column::AuthorId.eq(user.as_uuid()))
            .one(&self.db)
            .await?;
        Ok(commented.is_none())
    }

    /// The newest shared version has no comment from this lead (and none is final yet).
    async fn report_to_check(&self, challenge: Uuid, user: UserId) -> Result<bool, StoreError> {
        let versions = report_version::Entity::find()
            .filter(report_version::Column::ChallengeId.eq(challenge))
            .all(&self.db)
            .await?;
        if versions
            .iter()
            .any(|v| v.status == ReportStatus::Final.code())
        {
            return Ok(false);
        }
        let Some(shared) = versions
            .iter()
            .filter(|v| v.status == ReportStatus::Shared.code())
            .max_by_key(|v| v.created_at)
        else {
            return Ok(false);
        };
        let commented = report_comment::Entity::find()
            .filter(report_comment::Column::ReportVersionId.eq(shared.id))
            .filter(report_comment::Column::AuthorId.eq(user.as_uuid()))
            .one(&self.db)
            .await?;
        Ok(commented.is_none())
    }
}

/// Someone declined or declared a conflict, and fewer seats are held than the visit plans:
/// a newcomer proposed in their place makes this false again.
fn seat_freed(
    challenge: Uuid,
    members: &[team_member::Model],
    seats: &[challenge_seat::Model],
) -> bool {
    let members: Vec<&team_member::Model> = members
        .iter()
        .filter(|row| row.challenge_id == challenge)
        .collect();
    let status = |row: &team_member::Model| MemberStatus::parse(&row.status);
    let freed = members.iter().any(|row| {
        matches!(
            status(row),
            Some(MemberStatus::Declined | MemberStatus::ConflictDeclared)
        )
    });
    if !freed {
        return false;
    }
    let held = members
        .iter()
        .filter(|row| status(row).is_some_and(MemberStatus::holds_seat))
        .count();
    let planned: i64 = seats
        .iter()
        .filter(|seat| seat.challenge_id == challenge)
        .map(|seat| i64::from(seat.count) + i64::from(seat.shadowing))
        .sum();
    i64::try_from(held).unwrap_or(i64::MAX) < planned
}
