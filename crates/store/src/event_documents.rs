//! A thematic event's pre-reading files. Nominees have no accounts, so the files travel as
//! attachments of the KLOE email; staff, the board and LA leads download them behind sign-in,
//! each download written to the audit log in the transaction that reads the bytes (as the
//! challenge pre-reading is). The co-ordinator adds and removes files until the KLOEs are
//! first shared: after that the nominees hold them, so they stay as they were sent.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::{AuditEvent, AuditObject, DocumentId, ProgrammeActivityId, UserId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::entity::{event_document, thematic_event, thematic_kloe_version, user};
use crate::{Store, StoreError, audit};

const DOCUMENT_KIND: &str = "event_document";

/// The most an event's files may come to together. They are attached to every KLOE email,
/// and base64 makes an attachment a third larger: 7 MB of files is about 9.4 MB on the wire,
/// under the 10 MB many council and NHS mail servers still refuse above.
pub const EVENT_DOCUMENTS_MAX_TOTAL_BYTES: usize = 7 * 1024 * 1024;

/// A file to store. The caller has checked its type, size and words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEventDocument {
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// A file as the KLOE page lists it, without its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventDocument {
    pub id: DocumentId,
    pub event: ProgrammeActivityId,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// The uploader's name now, or None if their account has gone.
    pub uploaded_by: Option<String>,
    pub uploaded_at: DateTime<Utc>,
}

/// A file with its bytes: a download, or an attachment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventDocumentFile {
    pub summary: EventDocument,
    pub content: Vec<u8>,
}

type SummaryRow = (Uuid, Uuid, String, String, i64, Option<Uuid>, DateTime<Utc>);

async fn summaries(
    db: &impl ConnectionTrait,
    event: ProgrammeActivityId,
    only: Option<DocumentId>,
) -> Result<Vec<EventDocument>, StoreError> {
    use event_document::Column;
    let mut query = event_document::Entity::find()
        .select_only()
        .columns([
            Column::Id,
            Column::EventId,
            Column::FileName,
            Column::ContentType,
            Column::SizeBytes,
            Column::UploadedBy,
            Column::UploadedAt,
        ])
        .filter(Column::EventId.eq(event.as_uuid()));
    if let Some(id) = only {
        query = query.filter(Column::Id.eq(id.as_uuid()));
    }
    let rows: Vec<SummaryRow> = query
        .order_by_asc(Column::UploadedAt)
        .order_by_asc(Column::FileName)
        .into_tuple()
        .all(db)
        .await?;
    let uploaders: Vec<Uuid> = rows.iter().filter_map(|row| row.5).collect();
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
    Ok(rows
        .into_iter()
        .map(
            |(id, event, file_name, content_type, size_bytes, by, at)| EventDocument {
                id: DocumentId::from_uuid(id),
                event: ProgrammeActivityId::from_uuid(event),
                file_name,
                content_type,
                size_bytes,
                uploaded_by: by.and_then(|by| names.get(&by).cloned()),
                uploaded_at: at,
            },
        )
        .collect())
}

/// `NotFound` for no such event, `Conflict` once any version of its KLOEs has been shared.
async fn still_unshared(
    db: &impl ConnectionTrait,
    event: ProgrammeActivityId,
) -> Result<(), StoreError> {
    if thematic_event::Entity::find_by_id(event.as_uuid())
        .one(db)
        .await?
        .is_none()
    {
        return Err(StoreError::NotFound);
    }
    let shared = thematic_kloe_version::Entity::find()
        .filter(thematic_kloe_version::Column::EventId.eq(event.as_uuid()))
        .filter(thematic_kloe_version::Column::SharedAt.is_not_null())
        .count(db)
        .await?;
    if shared > 0 {
        return Err(StoreError::Conflict(
            "the pre-reading has gone to the nominees with the KLOEs, so it stays as it was sent",
        ));
    }
    Ok(())
}

impl Store {
    /// An event's pre-reading files without their bytes, in the order they were uploaded.
    pub async fn event_documents(
        &self,
        event: ProgrammeActivityId,
    ) -> Result<Vec<EventDocument>, StoreError> {
        summaries(&self.db, event, None).await
    }

    /// One of the event's files without its bytes (None if it is not this event's).
    pub async fn event_document(
        &self,
        event: ProgrammeActivityId,
        id: DocumentId,
    ) -> Result<Option<EventDocument>, StoreError> {
        Ok(summaries(&self.db, event, Some(id)).await?.pop())
    }

    /// Every file of the event with its bytes, to attach to the KLOE email. Not audited one
    /// by one: the sharing itself is, in the transaction that queues the emails.
    pub async fn event_document_attachments(
        &self,
        event: ProgrammeActivityId,
    ) -> Result<Vec<EventDocumentFile>, StoreError> {
        let mut content: HashMap<Uuid, Vec<u8>> = event_document::Entity::find()
            .filter(event_document::Column::EventId.eq(event.as_uuid()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| (row.id, row.content))
            .collect();
        Ok(summaries(&self.db, event, None)
            .await?
            .into_iter()
            .filter_map(|summary| {
                let bytes = content.remove(&summary.id.as_uuid())?;
                Some(EventDocumentFile {
                    summary,
                    content: bytes,
                })
            })
            .collect())
    }

    /// Store a file until the KLOEs are shared (`Conflict` after, or when it would take the
    /// event's files past [`EVENT_DOCUMENTS_MAX_TOTAL_BYTES`]). Audited.
    pub async fn upload_event_document(
        &self,
        event: ProgrammeActivityId,
        new: &NewEventDocument,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<DocumentId, StoreError> {
        let txn = self.begin_write().await?;
        still_unshared(&txn, event).await?;
        let held: i64 = summaries(&txn, event, None)
            .await?
            .iter()
            .map(|d| d.size_bytes)
            .sum();
        let size_bytes = i64::try_from(new.content.len()).map_err(StoreError::corrupt)?;
        let cap = i64::try_from(EVENT_DOCUMENTS_MAX_TOTAL_BYTES).unwrap_or(i64::MAX);
        if held.saturating_add(size_bytes) > cap {
            return Err(StoreError::Conflict(
                "the event's files together would be too large to send by email",
            ));
        }
        let id = DocumentId::new();
        event_document::ActiveModel {
            id: Set(id.as_uuid()),
            event_id: Set(event.as_uuid()),
            file_name: Set(new.file_name.clone()),
            content_type: Set(new.content_type.clone()),
            size_bytes: Set(size_bytes),
            content: Set(new.content.clone()),
            uploaded_by: Set(Some(by.as_uuid())),
            uploaded_at: Set(now),
        }
        .insert(&txn)
        .await?;
        // The file name may name a person or a school; the log keeps only ids and the size.
        let entry = AuditEvent::new(
            Some(by),
            "event_document.uploaded",
            AuditObject::new(DOCUMENT_KIND, id),
            format!("{size_bytes} bytes uploaded for event {event}"),
        );
        audit::append(&txn, entry, now).await?;
        txn.commit().await?;
        Ok(id)
    }

    /// A file with its bytes, recording who read it in the same transaction. None if the
    /// event has no such file (and then nothing is recorded).
    pub async fn download_event_document(
        &self,
        event: ProgrammeActivityId,
        id: DocumentId,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<Option<EventDocumentFile>, StoreError> {
        let txn = self.begin_write().await?;
        let Some(summary) = summaries(&txn, event, Some(id)).await?.pop() else {
            return Ok(None);
        };
        let content = event_document::Entity::find_by_id(id.as_uuid())
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?
            .content;
        let entry = AuditEvent::new(
            Some(by),
            "event_document.downloaded",
            AuditObject::new(DOCUMENT_KIND, id),
            format!("Downloaded from event {event}"),
        );
        audit::append(&txn, entry, now).await?;
        txn.commit().await?;
        Ok(Some(EventDocumentFile { summary, content }))
    }

    /// Remove a file until the KLOEs are shared. `NotFound` if the event has no such file,
    /// `Conflict` once they have been. Audited.
    pub async fn delete_event_document(
        &self,
        event: ProgrammeActivityId,
        id: DocumentId,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        still_unshared(&txn, event).await?;
        let deleted = event_document::Entity::delete_many()
            .filter(event_document::Column::Id.eq(id.as_uuid()))
            .filter(event_document::Column::EventId.eq(event.as_uuid()))
            .exec(&txn)
            .await?;
        if deleted.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        let entry = AuditEvent::new(
            Some(by),
            "event_document.deleted",
            AuditObject::new(DOCUMENT_KIND, id),
            format!("Deleted from event {event}"),
        );
        audit::append(&txn, entry, now).await?;
        txn.commit().await?;
        Ok(())
    }
}
