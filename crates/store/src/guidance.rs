//! The scheme's guidance document: the co-ordinator uploads versions, the public downloads
//! the newest. Kept in the database so every instance serves the same file.

use chrono::{DateTime, Utc};
use domain::{AuditEvent, AuditObject, GuidanceId, UserId};
use sea_orm::{ActiveModelTrait, EntityTrait, QueryOrder, QuerySelect, Set};

use crate::entity::guidance_document;
use crate::{Store, StoreError, audit};

/// A validated upload: the web layer checks type and size before it gets here.
#[derive(Clone, Debug)]
pub struct NewGuidance {
    pub title: String,
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// A version without its bytes, for listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuidanceSummary {
    pub id: GuidanceId,
    pub title: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuidanceDocument {
    pub summary: GuidanceSummary,
    pub content: Vec<u8>,
}

impl Store {
    pub async fn publish_guidance(
        &self,
        upload: NewGuidance,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<GuidanceId, StoreError> {
        let id = GuidanceId::new();
        let summary = format!(
            "Published \"{}\" ({}, {} bytes)",
            upload.title,
            upload.file_name,
            upload.content.len()
        );
        let txn = self.begin_write().await?;
        guidance_document::ActiveModel {
            id: Set(id.as_uuid()),
            title: Set(upload.title),
            file_name: Set(upload.file_name),
            content_type: Set(upload.content_type),
            size_bytes: Set(i64::try_from(upload.content.len()).unwrap_or(i64::MAX)),
            content: Set(upload.content),
            uploaded_by: Set(Some(by.as_uuid())),
            uploaded_at: Set(now),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by),
                "guidance.published",
                AuditObject::new("guidance", id),
                summary,
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Every version, newest first, without the bytes.
    pub async fn guidance_versions(&self) -> Result<Vec<GuidanceSummary>, StoreError> {
        use guidance_document::Column;
        let rows: Vec<(uuid::Uuid, String, String, String, i64, DateTime<Utc>)> =
            guidance_document::Entity::find()
                .select_only()
                .columns([
                    Column::Id,
                    Column::Title,
                    Column::FileName,
                    Column::ContentType,
                    Column::SizeBytes,
                    Column::UploadedAt,
                ])
                .order_by_desc(Column::UploadedAt)
                .into_tuple()
                .all(&self.db)
                .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, title, file_name, content_type, size_bytes, uploaded_at)| GuidanceSummary {
                    id: GuidanceId::from_uuid(id),
                    title,
                    file_name,
                    content_type,
                    size_bytes,
                    uploaded_at,
                },
            )
            .collect())
    }

    /// The newest version with its bytes, if any has been published.
    pub async fn current_guidance(&self) -> Result<Option<GuidanceDocument>, StoreError> {
        let row = guidance_document::Entity::find()
            .order_by_desc(guidance_document::Column::UploadedAt)
            .one(&self.db)
            .await?;
        Ok(row.map(|row| GuidanceDocument {
            summary: GuidanceSummary {
                id: GuidanceId::from_uuid(row.id),
                title: row.title,
                file_name: row.file_name,
                content_type: row.content_type,
                size_bytes: row.size_bytes,
                uploaded_at: row.uploaded_at,
            },
            content: row.content,
        }))
    }
}
