//! A challenge's pre-reading: the documents the host uploads for the team (self-evaluation,
//! data pack). Kept in the database so every instance serves them and a backup holds them.
//! Every download is written to the audit log in the same transaction that reads the bytes,
//! so nobody can read a document without leaving a trace.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::{AuditEvent, AuditObject, ChallengeId, DocumentId, UserId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use crate::entity::{challenge_document, user};
use crate::timetable::preparation_open;
use crate::{Store, StoreError, audit};

const DOCUMENT_KIND: &str = "challenge_document";

/// What a pre-reading document is, as the team looks for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocumentKind {
    SelfEvaluation,
    DataPack,
    Other,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 3] = [Self::SelfEvaluation, Self::DataPack, Self::Other];

    pub fn code(self) -> &'static str {
        match self {
            Self::SelfEvaluation => "self_evaluation",
            Self::DataPack => "data_pack",
            Self::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::SelfEvaluation => "Self-evaluation",
            Self::DataPack => "Data pack",
            Self::Other => "Other document",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

/// A document to store. The caller has checked its type and size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDocument {
    pub kind: DocumentKind,
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// A document as lists show it, without its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentSummary {
    pub id: DocumentId,
    pub challenge: ChallengeId,
    pub kind: DocumentKind,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// The uploader's name now, or None if their account has gone.
    pub uploaded_by: Option<String>,
    pub uploaded_at: DateTime<Utc>,
}

/// A document with its bytes, for a download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentFile {
    pub summary: DocumentSummary,
    pub content: Vec<u8>,
}

type SummaryRow = (
    Uuid,
    Uuid,
    String,
    String,
    String,
    i64,
    Option<Uuid>,
    DateTime<Utc>,
);

async fn summaries(
    db: &impl ConnectionTrait,
    challenge: ChallengeId,
    only: Option<DocumentId>,
) -> Result<Vec<DocumentSummary>, StoreError> {
    use challenge_document::Column;
    let mut query = challenge_document::Entity::find()
        .select_only()
        .columns([
            Column::Id,
            Column::ChallengeId,
            Column::Kind,
            Column::FileName,
            Column::ContentType,
            Column::SizeBytes,
            Column::UploadedBy,
            Column::UploadedAt,
        ])
        .filter(Column::ChallengeId.eq(challenge.as_uuid()));
    if let Some(id) = only {
        query = query.filter(Column::Id.eq(id.as_uuid()));
    }
    let rows: Vec<SummaryRow> = query
        .order_by_asc(Column::Kind)
        .order_by_asc(Column::UploadedAt)
        .order_by_asc(Column::FileName)
        .into_tuple()
        .all(db)
        .await?;
    let mut uploaders: Vec<Uuid> = rows.iter().filter_map(|row| row.6).collect();
    uploaders.sort();
    uploaders.dedup();
    let names: HashMap<Uuid, String> = if uploaders.is_empty() {
        HashMap::new()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(uploaders))
            .all(db)
            .await?
            .into_iter()
            .map(|person| (person.id, person.name))
            .collect()
    };
    let mut found = rows
        .into_iter()
        .map(
            |(id, challenge, kind, file_name, content_type, size_bytes, by, at)| {
                Ok(DocumentSummary {
                    id: DocumentId::from_uuid(id),
                    challenge: ChallengeId::from_uuid(challenge),
                    kind: DocumentKind::parse(&kind).ok_or_else(|| StoreError::corrupt(&kind))?,
                    file_name,
                    content_type,
                    size_bytes,
                    uploaded_by: by.and_then(|by| names.get(&by).cloned()),
                    uploaded_at: at,
                })
            },
        )
        .collect::<Result<Vec<_>, StoreError>>()?;
    // The kinds in the order people read them (self-evaluation first), not by their codes.
    found.sort_by_key(|document| document.kind);
    Ok(found)
}

impl Store {
    /// A challenge's documents without their bytes: self-evaluation first, then by upload.
    pub async fn pre_reading(
        &self,
        challenge: ChallengeId,
    ) -> Result<Vec<DocumentSummary>, StoreError> {
        summaries(&self.db, challenge, None).await
    }

    /// One document of the challenge without its bytes (None if it is not this challenge's).
    pub async fn pre_reading_document(
        &self,
        challenge: ChallengeId,
        id: DocumentId,
    ) -> Result<Option<DocumentSummary>, StoreError> {
        Ok(summaries(&self.db, challenge, Some(id)).await?.pop())
    }

    /// Store a document while the visit is being prepared (`Conflict` otherwise).
    pub async fn upload_pre_reading(
        &self,
        challenge: ChallengeId,
        new: &NewDocument,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<DocumentId, StoreError> {
        let txn = self.begin_write().await?;
        preparation_open(&txn, challenge).await?;
        let id = DocumentId::new();
        let size_bytes = i64::try_from(new.content.len()).map_err(StoreError::corrupt)?;
        challenge_document::ActiveModel {
            id: Set(id.as_uuid()),
            challenge_id: Set(challenge.as_uuid()),
            kind: Set(new.kind.code().to_owned()),
            file_name: Set(new.file_name.clone()),
            content_type: Set(new.content_type.clone()),
            size_bytes: Set(size_bytes),
            content: Set(new.content.clone()),
            uploaded_by: Set(Some(by.as_uuid())),
            uploaded_at: Set(now),
        }
        .insert(&txn)
        .await?;
        // The file name may name a person or a school; the log keeps only ids and the kind.
        let event = AuditEvent::new(
            Some(by),
            "pre_reading.uploaded",
            AuditObject::new(DOCUMENT_KIND, id),
            format!(
                "{} of {size_bytes} bytes uploaded for challenge {challenge}",
                new.kind.code()
            ),
        );
        audit::append(&txn, event, now).await?;
        txn.commit().await?;
        Ok(id)
    }

    /// A document with its bytes, recording who read it in the same transaction. None if the
    /// challenge has no such document (and then nothing is recorded).
    pub async fn download_pre_reading(
        &self,
        challenge: ChallengeId,
        id: DocumentId,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<Option<DocumentFile>, StoreError> {
        let txn = self.begin_write().await?;
        let Some(summary) = summaries(&txn, challenge, Some(id)).await?.pop() else {
            return Ok(None);
        };
        let content = challenge_document::Entity::find_by_id(id.as_uuid())
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?
            .content;
        let event = AuditEvent::new(
            Some(by),
            "pre_reading.downloaded",
            AuditObject::new(DOCUMENT_KIND, id),
            format!("Downloaded from challenge {challenge}"),
        );
        audit::append(&txn, event, now).await?;
        txn.commit().await?;
        Ok(Some(DocumentFile { summary, content }))
    }

    /// Delete a document while the visit is being prepared. `NotFound` if the challenge has no
    /// such document, `Conflict` once preparation has closed.
    pub async fn delete_pre_reading(
        &self,
        challenge: ChallengeId,
        id: DocumentId,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        preparation_open(&txn, challenge).await?;
        let deleted = challenge_document::Entity::delete_many()
            .filter(challenge_document::Column::Id.eq(id.as_uuid()))
            .filter(challenge_document::Column::ChallengeId.eq(challenge.as_uuid()))
            .exec(&txn)
            .await?;
        if deleted.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        let event = AuditEvent::new(
            Some(by),
            "pre_reading.deleted",
            AuditObject::new(DOCUMENT_KIND, id),
            format!("Deleted from challenge {challenge}"),
        );
        audit::append(&txn, event, now).await?;
        txn.commit().await?;
        Ok(())
    }
}
