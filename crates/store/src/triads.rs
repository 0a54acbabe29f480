//! Triad scrutiny in the annual programme: partners' comments and questions on an area's
//! submitted self-assessment, each triad's conversation (recording it owes the triad's areas
//! their development plans, in its transaction), areas' requests for help and offers of
//! support, and the documents uploaded as a section's evidence (every download audit-logged
//! in the transaction that reads the bytes). Each public method is one transaction.

use chrono::{DateTime, NaiveDate, Utc};
use domain::self_assessment_form::SelfAssessmentStatus;
use domain::triads::{
    CommentSection, Conversation, ScrutinyComment, ScrutinyKind, Support, SupportKind,
};
use domain::{
    AuditEvent, AuditObject, AuthoritySlug, DocumentId, Principal, ProgrammeActivityId, ReturnId,
    ReturnKind,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::entity::{
    annual_cycle, owed_return, self_assessment, self_assessment_document, triad_comment,
    triad_conversation, triad_member, triad_support,
};
use crate::{Store, StoreError, audit, programmes};

/// A comment as the scrutiny page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TriadComment {
    pub section: CommentSection,
    pub kind: ScrutinyKind,
    pub text: String,
    /// The partner area that wrote it, and the person.
    pub author_area: AuthoritySlug,
    pub author_name: String,
    pub at: DateTime<Utc>,
}

/// A triad's conversation as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedConversation {
    pub held_on: NaiveDate,
    /// Who attended for each area (empty where nobody came).
    pub attended: Vec<(AuthoritySlug, String)>,
    pub agreed: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// A request for help or an offer of support.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SupportRecord {
    pub from: AuthoritySlug,
    /// None: the whole region.
    pub with: Option<AuthoritySlug>,
    pub kind: SupportKind,
    pub text: String,
    pub recorded_by: String,
    pub at: DateTime<Utc>,
}

/// A section's evidence document, without its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvidenceDocument {
    pub id: DocumentId,
    pub section: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
}

/// A document to keep as a section's evidence; the caller has checked it with
/// `documents::upload` and for personal data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEvidenceDocument {
    pub section: String,
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

fn slug(text: &str) -> Result<AuthoritySlug, StoreError> {
    AuthoritySlug::parse(text).map_err(|_| StoreError::corrupt(text))
}

/// The cycle's areas in triad `number` (1-based) once the triads are published; a conflict
/// before, and not found for a triad it has not.
async fn published_triad(
    db: &impl ConnectionTrait,
    cycle: ProgrammeActivityId,
    number: i32,
) -> Result<(annual_cycle::Model, Vec<AuthoritySlug>), StoreError> {
    // Two people recording the same triad's conversation at once take turns on the cycle: the
    // second finds the first's record and corrects it, and no plan is owed twice.
    programmes::lock_activity(db, cycle).await?;
    let row = annual_cycle::Entity::find_by_id(cycle.as_uuid())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    if row.triads_published_at.is_none() {
        return Err(StoreError::Conflict(
            "the triads are not published to the areas yet",
        ));
    }
    let areas = triad_member::Entity::find()
        .filter(triad_member::Column::ActivityId.eq(cycle.as_uuid()))
        .filter(triad_member::Column::Triad.eq(number))
        .order_by_asc(triad_member::Column::AuthoritySlug)
        .all(db)
        .await?
        .iter()
        .map(|m| slug(&m.authority_slug))
        .collect::<Result<Vec<_>, _>>()?;
    if areas.is_empty() {
        return Err(StoreError::NotFound);
    }
    Ok((row, areas))
}

/// Whether the area has a submitted or signed-off version for the cycle.
async fn has_submitted(
    db: &impl ConnectionTrait,
    cycle: ProgrammeActivityId,
    area: &AuthoritySlug,
) -> Result<bool, StoreError> {
    Ok(self_assessment::Entity::find()
        .filter(self_assessment::Column::ActivityId.eq(cycle.as_uuid()))
        .filter(self_assessment::Column::AuthoritySlug.eq(area.as_str()))
        .filter(self_assessment::Column::Status.ne(SelfAssessmentStatus::Draft.code()))
        .count(db)
        .await?
        > 0)
}

/// After its triad's conversation each area owes its development plan by the cycle's
/// development-plans date; an area that owes one already keeps it.
async fn owe_development_plans(
    db: &impl ConnectionTrait,
    cycle: ProgrammeActivityId,
    areas: &[AuthoritySlug],
    due: NaiveDate,
    by: &Principal,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for area in areas {
        let owed = owed_return::Entity::find()
            .filter(owed_return::Column::ActivityId.eq(cycle.as_uuid()))
            .filter(owed_return::Column::AuthoritySlug.eq(area.as_str()))
            .filter(owed_return::Column::Kind.eq(ReturnKind::AnnualDevelopmentPlan.code()))
            .count(db)
            .await?;
        if owed > 0 {
            continue;
        }
        let id = ReturnId::new();
        owed_return::ActiveModel {
            id: Set(id.as_uuid()),
            activity_id: Set(cycle.as_uuid()),
            authority_slug: Set(area.to_string()),
            kind: Set(ReturnKind::AnnualDevelopmentPlan.code().to_owned()),
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
                format!("annual_development_plan owed by {area}, due {due}"),
            ),
            now,
        )
        .await?;
    }
    Ok(())
}

const DOCUMENT_KIND: &str = "self_assessment_document";

impl Store {
    /// The comments on an area's self-assessment for a cycle, oldest first.
    pub async fn triad_comments(
        &self,
        cycle: ProgrammeActivityId,
        area: &AuthoritySlug,
    ) -> Result<Vec<TriadComment>, StoreError> {
        triad_comment::Entity::find()
            .filter(triad_comment::Column::ActivityId.eq(cycle.as_uuid()))
            .filter(triad_comment::Column::AuthoritySlug.eq(area.as_str()))
            .order_by_asc(triad_comment::Column::CreatedAt)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| {
                Ok(TriadComment {
                    section: CommentSection::parse(&row.section)
                        .ok_or_else(|| StoreError::corrupt(&row.section))?,
                    kind: ScrutinyKind::parse(&row.kind)
                        .ok_or_else(|| StoreError::corrupt(&row.kind))?,
                    text: row.body,
                    author_area: slug(&row.author_area)?,
                    author_name: row.author_name,
                    at: row.created_at,
                })
            })
            .collect()
    }

    /// Keep a partner's comment on `area`'s submitted self-assessment, written for
    /// `author_area`; audited without its words. Before the area submits, a conflict.
    pub async fn add_triad_comment(
        &self,
        cycle: ProgrammeActivityId,
        area: &AuthoritySlug,
        comment: &ScrutinyComment,
        author_area: &AuthoritySlug,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        if !has_submitted(&txn, cycle, area).await? {
            return Err(StoreError::Conflict(
                "the area has not submitted its self-assessment yet",
            ));
        }
        let id = Uuid::new_v4();
        triad_comment::ActiveModel {
            id: Set(id),
            activity_id: Set(cycle.as_uuid()),
            authority_slug: Set(area.to_string()),
            section: Set(comment.section.code().to_owned()),
            kind: Set(comment.kind.code().to_owned()),
            body: Set(comment.text.as_str().to_owned()),
            author_area: Set(author_area.to_string()),
            author_name: Set(by.name.clone()),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by.user_id),
                "triad.commented",
                AuditObject::new("triad_comment", id),
                format!(
                    "{} from {author_area} on {area}'s {}",
                    comment.kind.code(),
                    comment.section.code()
                ),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Triad `number`'s conversation in the cycle, if recorded.
    pub async fn triad_conversation(
        &self,
        cycle: ProgrammeActivityId,
        number: i32,
    ) -> Result<Option<RecordedConversation>, StoreError> {
        let Some(row) = triad_conversation::Entity::find_by_id((cycle.as_uuid(), number))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let attended: Vec<(String, String)> =
            serde_json::from_str(&row.attendance).map_err(|_| StoreError::corrupt("attendance"))?;
        Ok(Some(RecordedConversation {
            held_on: row.held_on,
            attended: attended
                .into_iter()
                .map(|(area, who)| Ok((slug(&area)?, who)))
                .collect::<Result<_, StoreError>>()?,
            agreed: row.agreed,
            recorded_by: row.recorded_by,
            recorded_at: row.recorded_at,
        }))
    }

    /// Record (or correct) triad `number`'s conversation, audited; the first record owes each
    /// of its areas a development plan due on the cycle's development-plans date. Only for a
    /// published triad, naming only its areas.
    pub async fn record_triad_conversation(
        &self,
        cycle: ProgrammeActivityId,
        number: i32,
        conversation: &Conversation,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let (row, areas) = published_triad(&txn, cycle, number).await?;
        if conversation
            .attended
            .iter()
            .any(|(area, _)| !areas.contains(area))
        {
            return Err(StoreError::Conflict(
                "only the triad's areas attend its conversation",
            ));
        }
        let attendance: Vec<(String, String)> = conversation
            .attended
            .iter()
            .map(|(area, who)| (area.to_string(), who.as_str().to_owned()))
            .collect();
        let attendance =
            serde_json::to_string(&attendance).map_err(|_| StoreError::corrupt("attendance"))?;
        let existing = triad_conversation::Entity::find_by_id((cycle.as_uuid(), number))
            .one(&txn)
            .await?;
        let model = triad_conversation::ActiveModel {
            activity_id: Set(cycle.as_uuid()),
            triad: Set(number),
            held_on: Set(conversation.held_on),
            attendance: Set(attendance),
            agreed: Set(conversation.agreed.as_str().to_owned()),
            recorded_by: Set(by.name.clone()),
            recorded_at: Set(now),
        };
        let action = if existing.is_some() {
            model.update(&txn).await?;
            "triad.conversation_corrected"
        } else {
            model.insert(&txn).await?;
            "triad.conversation_recorded"
        };
        owe_development_plans(&txn, cycle, &areas, row.plans_due, by, now).await?;
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by.user_id),
                action,
                AuditObject::new("programme_activity", cycle),
                format!(
                    "triad {number}'s conversation held on {}",
                    conversation.held_on
                ),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Every request for help and offer of support in the cycle, oldest first.
    pub async fn triad_support(
        &self,
        cycle: ProgrammeActivityId,
    ) -> Result<Vec<SupportRecord>, StoreError> {
        triad_support::Entity::find()
            .filter(triad_support::Column::ActivityId.eq(cycle.as_uuid()))
            .order_by_asc(triad_support::Column::CreatedAt)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| {
                Ok(SupportRecord {
                    from: slug(&row.from_slug)?,
                    with: row.with_slug.as_deref().map(slug).transpose()?,
                    kind: SupportKind::parse(&row.kind)
                        .ok_or_else(|| StoreError::corrupt(&row.kind))?,
                    text: row.body,
                    recorded_by: row.recorded_by,
                    at: row.created_at,
                })
            })
            .collect()
    }

    /// Record `from`'s request for help or offer of support, audited without its words.
    pub async fn record_support(
        &self,
        cycle: ProgrammeActivityId,
        from: &AuthoritySlug,
        support: &Support,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let id = Uuid::new_v4();
        triad_support::ActiveModel {
            id: Set(id),
            activity_id: Set(cycle.as_uuid()),
            from_slug: Set(from.to_string()),
            with_slug: Set(support.with.as_ref().map(ToString::to_string)),
            kind: Set(support.kind.code().to_owned()),
            body: Set(support.text.as_str().to_owned()),
            recorded_by: Set(by.name.clone()),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by.user_id),
                "triad.support_recorded",
                AuditObject::new("triad_support", id),
                format!(
                    "{} from {from} to {}",
                    support.kind.code(),
                    support
                        .with
                        .as_ref()
                        .map_or_else(|| "the region".to_owned(), ToString::to_string)
                ),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The documents uploaded as evidence for an area's self-assessment, by section then
    /// upload, without their bytes.
    pub async fn self_assessment_documents(
        &self,
        cycle: ProgrammeActivityId,
        area: &AuthoritySlug,
    ) -> Result<Vec<EvidenceDocument>, StoreError> {
        document_summaries(&self.db, cycle, area, None).await
    }

    /// Keep a document as a section's evidence, audited by kind and size only (a file name
    /// may name a person).
    pub async fn upload_self_assessment_document(
        &self,
        cycle: ProgrammeActivityId,
        area: &AuthoritySlug,
        new: &NewEvidenceDocument,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<DocumentId, StoreError> {
        let txn = self.begin_write().await?;
        let id = DocumentId::new();
        let size_bytes = i64::try_from(new.content.len()).map_err(StoreError::corrupt)?;
        self_assessment_document::ActiveModel {
            id: Set(id.as_uuid()),
            activity_id: Set(cycle.as_uuid()),
            authority_slug: Set(area.to_string()),
            section: Set(new.section.clone()),
            file_name: Set(new.file_name.clone()),
            content_type: Set(new.content_type.clone()),
            size_bytes: Set(size_bytes),
            content: Set(new.content.clone()),
            uploaded_by: Set(by.name.clone()),
            uploaded_at: Set(now),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by.user_id),
                "self_assessment.document_uploaded",
                AuditObject::new(DOCUMENT_KIND, id),
                format!("{size_bytes} bytes for {area}'s {} evidence", new.section),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// A document of the area's self-assessment with its bytes, recording who read it in the
    /// same transaction; None (nothing recorded) if the area has no such document.
    pub async fn download_self_assessment_document(
        &self,
        cycle: ProgrammeActivityId,
        area: &AuthoritySlug,
        id: DocumentId,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<Option<(EvidenceDocument, Vec<u8>)>, StoreError> {
        let txn = self.begin_write().await?;
        let Some(summary) = document_summaries(&txn, cycle, area, Some(id)).await?.pop() else {
            return Ok(None);
        };
        let content = self_assessment_document::Entity::find_by_id(id.as_uuid())
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?
            .content;
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by.user_id),
                "self_assessment.document_downloaded",
                AuditObject::new(DOCUMENT_KIND, id),
                format!("downloaded from {area}'s self-assessment"),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(Some((summary, content)))
    }
}

type DocumentRow = (Uuid, String, String, String, i64, String, DateTime<Utc>);

async fn document_summaries(
    db: &impl ConnectionTrait,
    cycle: ProgrammeActivityId,
    area: &AuthoritySlug,
    only: Option<DocumentId>,
) -> Result<Vec<EvidenceDocument>, StoreError> {
    use self_assessment_document::Column;
    let mut query = self_assessment_document::Entity::find()
        .select_only()
        .columns([
            Column::Id,
            Column::Section,
            Column::FileName,
            Column::ContentType,
            Column::SizeBytes,
            Column::UploadedBy,
            Column::UploadedAt,
        ])
        .filter(Column::ActivityId.eq(cycle.as_uuid()))
        .filter(Column::AuthoritySlug.eq(area.as_str()));
    if let Some(id) = only {
        query = query.filter(Column::Id.eq(id.as_uuid()));
    }
    let rows: Vec<DocumentRow> = query
        .order_by_asc(Column::Section)
        .order_by_asc(Column::UploadedAt)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, section, file_name, content_type, size_bytes, uploaded_by, uploaded_at)| {
                EvidenceDocument {
                    id: DocumentId::from_uuid(id),
                    section,
                    file_name,
                    content_type,
                    size_bytes,
                    uploaded_by,
                    uploaded_at,
                }
            },
        )
        .collect())
}
