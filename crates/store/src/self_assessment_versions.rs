//! One area's self-assessment for a cycle, in versions: a draft rewritten on every save,
//! submitted (which also submits the return the area owes for it), then signed off. A
//! submitted or signed-off version is never changed: saving over one starts the next version.

use chrono::{DateTime, Utc};
use domain::self_assessment_form::{SelfAssessmentAnswers, SelfAssessmentStatus, SignOff};
use domain::{AuditEvent, AuditObject, AuthoritySlug, Principal, ProgrammeActivityId, ReturnKind};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::entity::{owed_return, self_assessment};
use crate::{Store, StoreError, audit, programmes};

/// One version as the pages read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredSelfAssessment {
    pub cycle: ProgrammeActivityId,
    pub area: AuthoritySlug,
    pub version: i32,
    pub status: SelfAssessmentStatus,
    pub answers: SelfAssessmentAnswers,
    pub saved_at: DateTime<Utc>,
    pub saved_by: String,
    pub submitted: Option<(DateTime<Utc>, String)>,
    pub sign_off: Option<SignOff>,
    /// Who recorded the sign-off.
    pub sign_off_recorded_by: Option<String>,
}

fn read(row: self_assessment::Model) -> Result<StoredSelfAssessment, StoreError> {
    let answers: SelfAssessmentAnswers =
        serde_json::from_str(&row.answers).map_err(|_| StoreError::corrupt(row.id))?;
    let sign_off = match (
        row.signed_for_authority,
        row.signed_for_health,
        row.signed_for_forum,
        row.signed_at,
    ) {
        (Some(for_authority), Some(for_health), Some(for_forum), Some(on)) => Some(SignOff {
            for_authority,
            for_health,
            for_forum,
            on,
        }),
        _ => None,
    };
    Ok(StoredSelfAssessment {
        cycle: ProgrammeActivityId::from_uuid(row.activity_id),
        area: AuthoritySlug::parse(&row.authority_slug)
            .map_err(|_| StoreError::corrupt(&row.authority_slug))?,
        version: row.version,
        status: SelfAssessmentStatus::parse(&row.status)
            .ok_or_else(|| StoreError::corrupt(&row.status))?,
        answers,
        saved_at: row.saved_at,
        saved_by: row.saved_by,
        submitted: row.submitted_at.zip(row.submitted_by),
        sign_off,
        sign_off_recorded_by: row.sign_off_recorded_by,
    })
}

async fn latest(
    db: &impl ConnectionTrait,
    cycle: ProgrammeActivityId,
    area: &AuthoritySlug,
) -> Result<Option<self_assessment::Model>, StoreError> {
    Ok(self_assessment::Entity::find()
        .filter(self_assessment::Column::ActivityId.eq(cycle.as_uuid()))
        .filter(self_assessment::Column::AuthoritySlug.eq(area.as_str()))
        .order_by_desc(self_assessment::Column::Version)
        .one(db)
        .await?)
}

fn to_json(answers: &SelfAssessmentAnswers) -> Result<String, StoreError> {
    serde_json::to_string(answers).map_err(|_| StoreError::corrupt("self-assessment answers"))
}

/// Every area of a cycle owes its self-assessment by the window's end: written with the
/// triads' publication, in its transaction. An area that owes one already is left alone.
pub(crate) async fn owe_self_assessments(
    db: &impl ConnectionTrait,
    cycle: ProgrammeActivityId,
    areas: &[AuthoritySlug],
    due: chrono::NaiveDate,
    by: &Principal,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for area in areas {
        let owed = owed_return::Entity::find()
            .filter(owed_return::Column::ActivityId.eq(cycle.as_uuid()))
            .filter(owed_return::Column::AuthoritySlug.eq(area.as_str()))
            .filter(owed_return::Column::Kind.eq(ReturnKind::SelfAssessment.code()))
            .one(db)
            .await?;
        if owed.is_some() {
            continue;
        }
        let id = domain::ReturnId::new();
        owed_return::ActiveModel {
            id: Set(id.as_uuid()),
            activity_id: Set(cycle.as_uuid()),
            authority_slug: Set(area.to_string()),
            kind: Set(ReturnKind::SelfAssessment.code().to_owned()),
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
        audit::append(
            db,
            AuditEvent::new(
                Some(by.user_id),
                "return.owed",
                AuditObject::new("return", id),
                format!("self_assessment owed by {area}, due {due}"),
            ),
            now,
        )
        .await?;
    }
    Ok(())
}

impl Store {
    /// The latest version of an area's self-assessment for a cycle, whatever its status.
    pub async fn self_assessment(
        &self,
        cycle: ProgrammeActivityId,
        area: &AuthoritySlug,
    ) -> Result<Option<StoredSelfAssessment>, StoreError> {
        latest(&self.db, cycle, area).await?.map(read).transpose()
    }

    /// Every version of an area's self-assessment for a cycle, newest first.
    pub async fn self_assessment_versions(
        &self,
        cycle: ProgrammeActivityId,
        area: &AuthoritySlug,
    ) -> Result<Vec<StoredSelfAssessment>, StoreError> {
        self_assessment::Entity::find()
            .filter(self_assessment::Column::ActivityId.eq(cycle.as_uuid()))
            .filter(self_assessment::Column::AuthoritySlug.eq(area.as_str()))
            .order_by_desc(self_assessment::Column::Version)
            .all(&self.db)
            .await?
            .into_iter()
            .map(read)
            .collect()
    }

    /// The latest submitted or signed-off version of each area's self-assessment for a
    /// cycle, in area order: what the board and the triads read. Drafts are the area's own.
    pub async fn submitted_self_assessments(
        &self,
        cycle: ProgrammeActivityId,
    ) -> Result<Vec<StoredSelfAssessment>, StoreError> {
        let rows = self_assessment::Entity::find()
            .filter(self_assessment::Column::ActivityId.eq(cycle.as_uuid()))
            .filter(self_assessment::Column::Status.ne(SelfAssessmentStatus::Draft.code()))
            .order_by_asc(self_assessment::Column::AuthoritySlug)
            .order_by_desc(self_assessment::Column::Version)
            .all(&self.db)
            .await?;
        let mut out: Vec<StoredSelfAssessment> = Vec::new();
        for row in rows {
            if out
                .last()
                .is_some_and(|s| s.area.as_str() == row.authority_slug)
            {
                continue;
            }
            out.push(read(row)?);
        }
        Ok(out)
    }

    /// Save the area's answers: the draft is rewritten; over a submitted or signed-off
    /// version a new draft version starts, the earlier kept. Returns the version saved.
    pub async fn save_self_assessment(
        &self,
        cycle: ProgrammeActivityId,
        area: &AuthoritySlug,
        answers: &SelfAssessmentAnswers,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<i32, StoreError> {
        let txn = self.begin_write().await?;
        let json = to_json(answers)?;
        programmes::lock_activity(&txn, cycle).await?;
        let version = match latest(&txn, cycle, area).await? {
            Some(row) if row.status == SelfAssessmentStatus::Draft.code() => {
                let version = row.version;
                let mut model: self_assessment::ActiveModel = row.into();
                model.answers = Set(json);
                model.framework = Set(answers.framework.clone());
                model.saved_at = Set(now);
                model.saved_by = Set(by.name.clone());
                model.update(&txn).await?;
                version
            }
            previous => {
                let version = previous.map_or(1, |row| row.version + 1);
                self_assessment::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    activity_id: Set(cycle.as_uuid()),
                    authority_slug: Set(area.to_string()),
                    version: Set(version),
                    framework: Set(answers.framework.clone()),
                    answers: Set(json),
                    status: Set(SelfAssessmentStatus::Draft.code().to_owned()),
                    saved_at: Set(now),
                    saved_by: Set(by.name.clone()),
                    submitted_at: Set(None),
                    submitted_by: Set(None),
                    signed_for_authority: Set(None),
                    signed_for_health: Set(None),
                    signed_for_forum: Set(None),
                    signed_at: Set(None),
                    sign_off_recorded_by: Set(None),
                }
                .insert(&txn)
                .await?;
                audit::append(
                    &txn,
                    AuditEvent::new(
                        Some(by.user_id),
                        "self_assessment.version_started",
                        AuditObject::new("programme_activity", cycle),
                        format!("{area}'s self-assessment version {version} started"),
                    ),
                    now,
                )
                .await?;
                version
            }
        };
        txn.commit().await?;
        Ok(version)
    }

    /// Submit the area's draft, and with it the return it owes. The answers are checked
    /// complete by the caller; a missing or non-draft latest version is a `Conflict`.
    pub async fn submit_self_assessment(
        &self,
        cycle: ProgrammeActivityId,
        area: &AuthoritySlug,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        programmes::lock_activity(&txn, cycle).await?;
        let row = latest(&txn, cycle, area)
            .await?
            .filter(|row| row.status == SelfAssessmentStatus::Draft.code())
            .ok_or(StoreError::Conflict("There is no draft to submit"))?;
        let version = row.version;
        let mut model: self_assessment::ActiveModel = row.into();
        model.status = Set(SelfAssessmentStatus::Submitted.code().to_owned());
        model.submitted_at = Set(Some(now));
        model.submitted_by = Set(Some(by.name.clone()));
        model.update(&txn).await?;
        owed_return::Entity::update_many()
            .col_expr(owed_return::Column::SubmittedAt, Some(now).into())
            .col_expr(
                owed_return::Column::SubmittedBy,
                Some(by.name.clone()).into(),
            )
            .filter(owed_return::Column::ActivityId.eq(cycle.as_uuid()))
            .filter(owed_return::Column::AuthoritySlug.eq(area.as_str()))
            .filter(owed_return::Column::Kind.eq(ReturnKind::SelfAssessment.code()))
            .filter(owed_return::Column::SubmittedAt.is_null())
            .exec(&txn)
            .await?;
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by.user_id),
                "self_assessment.submitted",
                AuditObject::new("programme_activity", cycle),
                format!("{area}'s self-assessment version {version} submitted"),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Record who signed the submitted version off for the authority, health and the
    /// parent carer forum, and when. Only a submitted latest version can be signed off.
    pub async fn sign_off_self_assessment(
        &self,
        cycle: ProgrammeActivityId,
        area: &AuthoritySlug,
        sign_off: &SignOff,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        programmes::lock_activity(&txn, cycle).await?;
        let row = latest(&txn, cycle, area)
            .await?
            .filter(|row| row.status == SelfAssessmentStatus::Submitted.code())
            .ok_or(StoreError::Conflict(
                "Only a submitted self-assessment can be signed off",
            ))?;
        let version = row.version;
        let mut model: self_assessment::ActiveModel = row.into();
        model.status = Set(SelfAssessmentStatus::SignedOff.code().to_owned());
        model.signed_for_authority = Set(Some(sign_off.for_authority.clone()));
        model.signed_for_health = Set(Some(sign_off.for_health.clone()));
        model.signed_for_forum = Set(Some(sign_off.for_forum.clone()));
        model.signed_at = Set(Some(sign_off.on));
        model.sign_off_recorded_by = Set(Some(by.name.clone()));
        model.update(&txn).await?;
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by.user_id),
                "self_assessment.signed_off",
                AuditObject::new("programme_activity", cycle),
                format!("{area}'s self-assessment version {version} signed off"),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}
