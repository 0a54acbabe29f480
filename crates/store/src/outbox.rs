//! The outbox: every email is first a row here, written in the same transaction as the change
//! that caused it, then sent by the worker with retries. Nothing is lost if the mail server
//! is down or the process stops between the two.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use domain::{EmailAddress, OutboxId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::entity::{outbox, outbox_attachment};
use crate::{Store, StoreError};

/// An email to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEmail {
    pub to: EmailAddress,
    pub subject: String,
    pub body_text: String,
    /// Files sent with the plain-text body, in this order.
    pub attachments: Vec<EmailAttachment>,
}

/// A file sent with an email, such as an `.ics` invitation.
#[derive(Clone, PartialEq, Eq)]
pub struct EmailAttachment {
    pub file_name: String,
    /// The full MIME type with its parameters, e.g.
    /// `text/calendar; method=REQUEST; charset=UTF-8`.
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for EmailAttachment {
    // The bytes may be long; their size says enough in a log or a failed assertion.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailAttachment")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

impl NewEmail {
    /// A plain-text email with no attachments.
    pub fn text(
        to: EmailAddress,
        subject: impl Into<String>,
        body_text: impl Into<String>,
    ) -> Self {
        Self {
            to,
            subject: subject.into(),
            body_text: body_text.into(),
            attachments: Vec::new(),
        }
    }

    /// The same email with `attachment` added after any it already has.
    pub fn with_attachment(mut self, attachment: EmailAttachment) -> Self {
        self.attachments.push(attachment);
        self
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutboxStatus {
    Queued,
    Sent,
    /// Gave up after the last retry; shown to the co-ordinator.
    Failed,
}

impl OutboxStatus {
    fn code(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        [Self::Queued, Self::Sent, Self::Failed]
            .into_iter()
            .find(|status| status.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Queued => "Waiting to send",
            Self::Sent => "Sent",
            Self::Failed => "Failed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxEmail {
    pub id: OutboxId,
    pub to: EmailAddress,
    pub subject: String,
    pub body_text: String,
    pub created_at: DateTime<Utc>,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub attachments: Vec<EmailAttachment>,
}

impl OutboxEmail {
    fn from_row(row: outbox::Model, attachments: Vec<EmailAttachment>) -> Result<Self, StoreError> {
        Ok(Self {
            id: OutboxId::from_uuid(row.id),
            to: EmailAddress::parse(&row.recipient).map_err(StoreError::corrupt)?,
            subject: row.subject,
            body_text: row.body_text,
            created_at: row.created_at,
            status: OutboxStatus::parse(&row.status)
                .ok_or_else(|| StoreError::corrupt(&row.status))?,
            attempts: row.attempts,
            sent_at: row.sent_at,
            last_error: row.last_error,
            attachments,
        })
    }
}

/// The attachments of these emails, in order, in one query per 500 emails.
async fn attachments_of(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<BTreeMap<Uuid, Vec<EmailAttachment>>, StoreError> {
    let mut found: BTreeMap<Uuid, Vec<EmailAttachment>> = BTreeMap::new();
    for chunk in ids.chunks(500) {
        for row in outbox_attachment::Entity::find()
            .filter(outbox_attachment::Column::OutboxId.is_in(chunk.to_vec()))
            .order_by_asc(outbox_attachment::Column::OutboxId)
            .order_by_asc(outbox_attachment::Column::Position)
            .all(db)
            .await?
        {
            found
                .entry(row.outbox_id)
                .or_default()
                .push(EmailAttachment {
                    file_name: row.file_name,
                    content_type: row.content_type,
                    bytes: row.content,
                });
        }
    }
    Ok(found)
}

/// Emails with their attachments, in the order of `rows`.
async fn with_attachments(
    db: &impl ConnectionTrait,
    rows: Vec<outbox::Model>,
) -> Result<Vec<OutboxEmail>, StoreError> {
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    let mut attachments = attachments_of(db, &ids).await?;
    rows.into_iter()
        .map(|row| {
            let files = attachments.remove(&row.id).unwrap_or_default();
            OutboxEmail::from_row(row, files)
        })
        .collect()
}

pub(crate) async fn enqueue(
    db: &impl ConnectionTrait,
    email: NewEmail,
    now: DateTime<Utc>,
) -> Result<OutboxId, StoreError> {
    let id = OutboxId::new();
    outbox::ActiveModel {
        id: Set(id.as_uuid()),
        recipient: Set(email.to.to_string()),
        subject: Set(email.subject),
        body_text: Set(email.body_text),
        created_at: Set(now),
        status: Set(OutboxStatus::Queued.code().to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        claimed_until: Set(None),
        sent_at: Set(None),
        last_error: Set(None),
    }
    .insert(db)
    .await?;
    for (position, attachment) in email.attachments.into_iter().enumerate() {
        outbox_attachment::ActiveModel {
            outbox_id: Set(id.as_uuid()),
            position: Set(i32::try_from(position).map_err(StoreError::corrupt)?),
            file_name: Set(attachment.file_name),
            content_type: Set(attachment.content_type),
            content: Set(attachment.bytes),
        }
        .insert(db)
        .await?;
    }
    Ok(id)
}

impl Store {
    pub async fn queue_email(
        &self,
        email: NewEmail,
        now: DateTime<Utc>,
    ) -> Result<OutboxId, StoreError> {
        enqueue(&self.db, email, now).await
    }

    /// Claim up to `limit` emails that are due, for `lease`. A claim is a conditional update,
    /// so two instances never send the same email; a crashed sender's claim simply lapses.
    pub async fn claim_due_emails(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        limit: u64,
    ) -> Result<Vec<OutboxEmail>, StoreError> {
        let unclaimed = || {
            Condition::any()
                .add(outbox::Column::ClaimedUntil.is_null())
                .add(outbox::Column::ClaimedUntil.lte(now))
        };
        let candidates = outbox::Entity::find()
            .filter(outbox::Column::Status.eq(OutboxStatus::Queued.code()))
            .filter(outbox::Column::NextAttemptAt.lte(now))
            .filter(unclaimed())
            .order_by_asc(outbox::Column::NextAttemptAt)
            .order_by_asc(outbox::Column::CreatedAt)
            .limit(limit)
            .all(&self.db)
            .await?;
        let mut claimed_rows = Vec::with_capacity(candidates.len());
        for candidate in candidates {
            let result = outbox::Entity::update_many()
                .col_expr(outbox::Column::ClaimedUntil, Expr::value(now + lease))
                .filter(outbox::Column::Id.eq(candidate.id))
                .filter(outbox::Column::Status.eq(OutboxStatus::Queued.code()))
                .filter(unclaimed())
                .exec(&self.db)
                .await?;
            if result.rows_affected == 1 {
                claimed_rows.push(candidate);
            }
        }
        with_attachments(&self.db, claimed_rows).await
    }

    pub async fn mark_email_sent(
        &self,
        id: OutboxId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        outbox::ActiveModel {
            id: Set(id.as_uuid()),
            status: Set(OutboxStatus::Sent.code().to_owned()),
            sent_at: Set(Some(now)),
            claimed_until: Set(None),
            last_error: Set(None),
            ..Default::default()
        }
        .update(&self.db)
        .await?;
        Ok(())
    }

    /// Record a failed attempt: retry after a wait that doubles each time, and give up after
    /// `max_attempts`.
    pub async fn mark_email_attempt_failed(
        &self,
        id: OutboxId,
        error: &str,
        max_attempts: i32,
        now: DateTime<Utc>,
    ) -> Result<OutboxStatus, StoreError> {
        let row = outbox::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let attempts = row.attempts.saturating_add(1);
        let status = if attempts >= max_attempts {
            OutboxStatus::Failed
        } else {
            OutboxStatus::Queued
        };
        let backoff =
            Duration::minutes(1) * 2_i32.pow(u32::try_from(attempts.min(10)).unwrap_or(10));
        outbox::ActiveModel {
            id: Set(id.as_uuid()),
            attempts: Set(attempts),
            status: Set(status.code().to_owned()),
            next_attempt_at: Set(now + backoff),
            claimed_until: Set(None),
            last_error: Set(Some(error.chars().take(500).collect())),
            ..Default::default()
        }
        .update(&self.db)
        .await?;
        Ok(status)
    }

    /// The newest emails first, for the co-ordinator's outbox page.
    /// How many of the newest `limit` emails could not be sent: the count the co-ordinator's
    /// dashboard shows, read from the status column alone (no bodies, no attachments).
    pub async fn failed_among_latest(&self, limit: u64) -> Result<usize, StoreError> {
        let statuses: Vec<String> = outbox::Entity::find()
            .select_only()
            .column(outbox::Column::Status)
            .order_by_desc(outbox::Column::CreatedAt)
            .limit(limit)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(statuses
            .iter()
            .filter(|status| OutboxStatus::parse(status) == Some(OutboxStatus::Failed))
            .count())
    }

    pub async fn outbox_emails(&self, limit: u64) -> Result<Vec<OutboxEmail>, StoreError> {
        let rows = outbox::Entity::find()
            .order_by_desc(outbox::Column::CreatedAt)
            .limit(limit)
            .all(&self.db)
            .await?;
        with_attachments(&self.db, rows).await
    }
}
