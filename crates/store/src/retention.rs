//! Retention: personal data the scheme no longer needs is deleted. Declined and withdrawn
//! applications and members who left go after a configurable number of months; application
//! drafts nobody has touched for 30 days go too. A challenge's working notes go a
//! configurable number of days after its reports are final. The audit log keeps that a purge happened
//! and how much it removed, never who.

use chrono::{DateTime, Duration, Months, Utc};
use domain::application::ApplicationStatus;
use domain::lifecycle::ChallengeState;
use domain::pool::MemberStatus;
use domain::{AuditEvent, AuditObject, Role};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::entity::{
    application_draft, case_sample, challenge, evidence_note, finding, finding_comment,
    pool_member, report_version, reviewer_application, role_grant, user,
};
use crate::{Store, StoreError, audit};

/// The default for how long declined and withdrawn applications and former members are kept.
pub const DEFAULT_RETENTION_MONTHS: u32 = 12;
/// How long an unfinished application is kept after its last change.
pub const DRAFT_RETENTION_DAYS: i64 = 30;

/// What one purge removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PurgeReport {
    /// Declined and withdrawn applications, and the applications of purged members.
    pub applications: u64,
    /// Members who left, with their expertise, dates, conflicts and training places.
    pub members: u64,
    pub drafts: u64,
    /// Accounts that lost the Reviewer role with their membership.
    pub reviewer_roles_removed: u64,
    /// Of those, accounts left with no role at all, deleted with their name and email.
    pub accounts_removed: u64,
}

impl PurgeReport {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

impl std::fmt::Display for PurgeReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} applications, {} former members, {} drafts, {} reviewer roles removed, {} accounts removed",
            self.applications,
            self.members,
            self.drafts,
            self.reviewer_roles_removed,
            self.accounts_removed
        )
    }
}

impl Store {
    /// Delete what the retention rules no longer allow us to keep, as of `now`, in one
    /// transaction. Running it again straight away removes nothing more.
    pub async fn purge_expired_personal_data(
        &self,
        retention_months: u32,
        now: DateTime<Utc>,
    ) -> Result<PurgeReport, StoreError> {
        let cutoff = now
            .checked_sub_months(Months::new(retention_months))
            .ok_or_else(|| StoreError::corrupt("retention period out of range"))?;
        let draft_cutoff = now - Duration::days(DRAFT_RETENTION_DAYS);
        let txn = self.begin_write().await?;

        let leavers = pool_member::Entity::find()
            .filter(pool_member::Column::Status.eq(MemberStatus::Left.code()))
            .filter(pool_member::Column::LeftAt.lt(cutoff))
            .all(&txn)
            .await?;
        let member_ids: Vec<Uuid> = leavers.iter().map(|member| member.id).collect();
        let accounts: Vec<Uuid> = leavers.iter().filter_map(|member| member.user_id).collect();

        // Their approved applications hold the same personal data as the membership.
        let mut applications = 0;
        for chunk in member_ids.chunks(500) {
            applications += reviewer_application::Entity::delete_many()
                .filter(reviewer_application::Column::MemberId.is_in(chunk.to_vec()))
                .exec(&txn)
                .await?
                .rows_affected;
        }
        // Decided applications count from the decision; a withdrawal may carry none, so it
        // counts from the application's last change.
        let decided_long_ago = Condition::any()
            .add(reviewer_application::Column::DecidedAt.lt(cutoff))
            .add(
                Condition::all()
                    .add(reviewer_application::Column::DecidedAt.is_null())
                    .add(reviewer_application::Column::UpdatedAt.lt(cutoff)),
            );
        applications += reviewer_application::Entity::delete_many()
            .filter(reviewer_application::Column::Status.is_in([
                ApplicationStatus::Declined.code(),
                ApplicationStatus::Withdrawn.code(),
            ]))
            .filter(decided_long_ago)
            .exec(&txn)
            .await?
            .rows_affected;

        let mut reviewer_roles_removed = 0;
        for chunk in accounts.chunks(500) {
            reviewer_roles_removed += role_grant::Entity::delete_many()
                .filter(role_grant::Column::UserId.is_in(chunk.to_vec()))
                .filter(role_grant::Column::Role.eq(Role::Reviewer.code()))
                .exec(&txn)
                .await?
                .rows_affected;
        }
        // An account whose only role was Reviewer now serves nothing but to hold a name and
        // an email: it goes too (its sessions and links with it).
        let mut accounts_removed = 0;
        for chunk in accounts.chunks(500) {
            let still_in_a_role: Vec<Uuid> = role_grant::Entity::find()
                .select_only()
                .column(role_grant::Column::UserId)
                .filter(role_grant::Column::UserId.is_in(chunk.to_vec()))
                .into_tuple()
                .all(&txn)
                .await?;
            let roleless: Vec<Uuid> = chunk
                .iter()
                .copied()
                .filter(|id| !still_in_a_role.contains(id))
                .collect();
            accounts_removed += user::Entity::delete_many()
                .filter(user::Column::Id.is_in(roleless))
                .exec(&txn)
                .await?
                .rows_affected;
        }
        // Expertise, dates, conflicts, travel and training places go with the member.
        let mut members = 0;
        for chunk in member_ids.chunks(500) {
            members += pool_member::Entity::delete_many()
                .filter(pool_member::Column::Id.is_in(chunk.to_vec()))
                .exec(&txn)
                .await?
                .rows_affected;
        }
        let drafts = application_draft::Entity::delete_many()
            .filter(application_draft::Column::UpdatedAt.lt(draft_cutoff))
            .exec(&txn)
            .await?
            .rows_affected;

        let report = PurgeReport {
            applications,
            members,
            drafts,
            reviewer_roles_removed,
            accounts_removed,
        };
        if !report.is_empty() {
            let event = AuditEvent::new(
                None,
                "retention.purged",
                AuditObject::new("retention", now.format("%Y-%m-%d")),
                format!("Purged under the retention rules: {report}"),
            );
            audit::append(&txn, event, now).await?;
        }
        txn.commit().await?;
        Ok(report)
    }
}

/// What one purge of working notes removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WorkingNotesPurged {
    /// Challenges whose notes went.
    pub challenges: u64,
    pub evidence_notes: u64,
    pub finding_comments: u64,
    pub sampled_cases: u64,
}

impl WorkingNotesPurged {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

impl std::fmt::Display for WorkingNotesPurged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} evidence note(s), {} comment(s) on findings and {} sampled case(s) of {} challenge(s)",
            self.evidence_notes, self.finding_comments, self.sampled_cases, self.challenges
        )
    }
}

impl Store {
    /// Delete the working notes (evidence, comments on findings, the case sample) of every
    /// challenge at next steps or closed whose last report was made final more than
    /// `after_days` days before `now`. The findings, the reports and the action plan stay.
    pub async fn purge_working_notes(
        &self,
        after_days: u32,
        now: DateTime<Utc>,
    ) -> Result<WorkingNotesPurged, StoreError> {
        let cutoff = now - Duration::days(i64::from(after_days));
        let txn = self.begin_write().await?;
        let finished: Vec<Uuid> = challenge::Entity::find()
            .select_only()
            .column(challenge::Column::Id)
            .filter(challenge::Column::State.is_in([
                ChallengeState::NextSteps.code(),
                ChallengeState::Closed.code(),
            ]))
            .into_tuple()
            .all(&txn)
            .await?;
        let mut purged = WorkingNotesPurged::default();
        for id in finished {
            let last_final: Option<Option<DateTime<Utc>>> = report_version::Entity::find()
                .select_only()
                .column_as(report_version::Column::FinalisedAt.max(), "last")
                .filter(report_version::Column::ChallengeId.eq(id))
                .into_tuple()
                .one(&txn)
                .await?;
            if last_final.flatten().is_none_or(|at| at >= cutoff) {
                continue;
            }
            let findings: Vec<Uuid> = finding::Entity::find()
                .select_only()
                .column(finding::Column::Id)
                .filter(finding::Column::ChallengeId.eq(id))
                .into_tuple()
                .all(&txn)
                .await?;
            let removed = WorkingNotesPurged {
                challenges: 1,
                evidence_notes: evidence_note::Entity::delete_many()
                    .filter(evidence_note::Column::ChallengeId.eq(id))
                    .exec(&txn)
                    .await?
                    .rows_affected,
                finding_comments: finding_comment::Entity::delete_many()
                    .filter(finding_comment::Column::FindingId.is_in(findings))
                    .exec(&txn)
                    .await?
                    .rows_affected,
                sampled_cases: case_sample::Entity::delete_many()
                    .filter(case_sample::Column::ChallengeId.eq(id))
                    .exec(&txn)
                    .await?
                    .rows_affected,
            };
            if removed.evidence_notes + removed.finding_comments + removed.sampled_cases == 0 {
                continue;
            }
            let event = AuditEvent::new(
                None,
                "retention.working_notes_purged",
                AuditObject::new("challenge", id),
                format!("Working notes deleted after the final report: {removed}"),
            );
            audit::append(&txn, event, now).await?;
            purged.challenges += 1;
            purged.evidence_notes += removed.evidence_notes;
            purged.finding_comments += removed.finding_comments;
            purged.sampled_cases += removed.sampled_cases;
        }
        txn.commit().await?;
        Ok(purged)
    }
}
