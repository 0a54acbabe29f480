//! Every generated version of a challenge's reports, kept for good: a draft, shared with the
//! host's LA lead for a factual-accuracy check (their comments kept with it), then final.
//! Only the newest version of a format moves on; once one is final no more are made.

use chrono::{DateTime, Utc};
use domain::findings::{FindingKind, ReportFormat, ReportStatus};
use domain::{AuditEvent, AuditObject, ChallengeId, ReportVersionId, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use crate::challenges::state_of;
use crate::entity::{challenge, finding, report_comment, report_version};
use crate::findings::Author;
use crate::outbox::NewEmail;
use crate::{Store, StoreError, audit};

/// A recommendation as a report version was made with it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReportedRecommendation {
    pub kloe: i32,
    pub text: String,
}

/// A version's facts, without its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportVersion {
    pub id: ReportVersionId,
    pub challenge: ChallengeId,
    pub format: ReportFormat,
    pub version: i32,
    pub status: ReportStatus,
    pub size_bytes: i64,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
    pub shared_at: Option<DateTime<Utc>>,
    pub finalised_at: Option<DateTime<Utc>>,
    pub comments: Vec<ReportComment>,
}

impl ReportVersion {
    /// The file name people download it as, e.g. `PC-2027-004-slides-v2.pptx`.
    pub fn file_name(&self, reference: &str) -> String {
        let what = match self.format {
            ReportFormat::SlideDeck => "slides",
            ReportFormat::WrittenReport => "report",
        };
        let final_mark = if self.status == ReportStatus::Final {
            "-final"
        } else {
            ""
        };
        format!(
            "{reference}-{what}-v{}{final_mark}.{}",
            self.version,
            self.format.extension()
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportComment {
    pub author_name: String,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

/// The columns of a version except its content, which only a download needs.
type VersionRow = (
    Uuid,
    Uuid,
    String,
    i32,
    String,
    i64,
    String,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
);

fn to_version(row: VersionRow, comments: Vec<ReportComment>) -> Result<ReportVersion, StoreError> {
    let (
        id,
        challenge,
        format,
        version,
        status,
        size_bytes,
        created_by_name,
        created_at,
        shared_at,
        finalised_at,
    ) = row;
    Ok(ReportVersion {
        id: ReportVersionId::from_uuid(id),
        challenge: ChallengeId::from_uuid(challenge),
        format: ReportFormat::parse(&format).ok_or_else(|| StoreError::corrupt(&format))?,
        version,
        status: ReportStatus::parse(&status).ok_or_else(|| StoreError::corrupt(&status))?,
        size_bytes,
        created_by_name,
        created_at,
        shared_at,
        finalised_at,
        comments,
    })
}

async fn versions(
    db: &impl ConnectionTrait,
    challenge: ChallengeId,
) -> Result<Vec<ReportVersion>, StoreError> {
    use report_version::Column as C;
    let rows: Vec<VersionRow> = report_version::Entity::find()
        .select_only()
        .columns([
            C::Id,
            C::ChallengeId,
            C::Format,
            C::Version,
            C::Status,
            C::SizeBytes,
            C::CreatedByName,
            C::CreatedAt,
            C::SharedAt,
            C::FinalisedAt,
        ])
        .filter(C::ChallengeId.eq(challenge.as_uuid()))
        .order_by_asc(C::Format)
        .order_by_desc(C::Version)
        .into_tuple()
        .all(db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|row| row.0).collect();
    let mut comments = report_comment::Entity::find()
        .filter(report_comment::Column::ReportVersionId.is_in(ids))
        .order_by_asc(report_comment::Column::CreatedAt)
        .all(db)
        .await?;
    rows.into_iter()
        .map(|row| {
            let (mine, rest): (Vec<_>, Vec<_>) = comments
                .drain(..)
                .partition(|comment| comment.report_version_id == row.0);
            comments = rest;
            let mine = mine
                .into_iter()
                .map(|comment| ReportComment {
                    author_name: comment.author_name,
                    text: comment.text,
                    created_at: comment.created_at,
                })
                .collect();
            to_version(row, mine)
        })
        .collect()
}

/// Reports are made while the challenge is reporting.
async fn reporting(db: &impl ConnectionTrait, challenge: ChallengeId) -> Result<(), StoreError> {
    let row = challenge::Entity::find_by_id(challenge.as_uuid())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    if state_of(&row.state)?.may_change_reports() {
        Ok(())
    } else {
        Err(StoreError::Conflict(
            "Reports can be changed only while the challenge is reporting",
        ))
    }
}

/// The newest version of `id`'s format, which must be `id` itself and in `from`.
async fn newest_in(
    db: &impl ConnectionTrait,
    challenge: ChallengeId,
    id: ReportVersionId,
    from: ReportStatus,
) -> Result<ReportVersion, StoreError> {
    let all = versions(db, challenge).await?;
    let version = all
        .iter()
        .find(|version| version.id == id)
        .ok_or(StoreError::NotFound)?;
    let newest = all
        .iter()
        .filter(|other| other.format == version.format)
        .max_by_key(|other| other.version);
    if newest.map(|newest| newest.id) != Some(id) {
        return Err(StoreError::Conflict(
            "A newer version of this report has been made: use that one",
        ));
    }
    if version.status != from {
        return Err(StoreError::Conflict(match from {
            ReportStatus::Draft => "This version has already been shared",
            ReportStatus::Shared => {
                "This version must be shared with the local area for an accuracy check first"
            }
            ReportStatus::Final => "This version is already final",
        }));
    }
    Ok(version.clone())
}

fn report_event(
    by: UserId,
    action: &'static str,
    id: ReportVersionId,
    summary: String,
) -> AuditEvent {
    AuditEvent::new(
        Some(by),
        action,
        AuditObject::new("report_version", id),
        summary,
    )
}

impl Store {
    /// How many of the reports a challenge owes (slides; and a written report for a two-day
    /// challenge) have no final version.
    pub(crate) async fn reports_not_final(
        &self,
        record: &crate::ChallengeRecord,
    ) -> Result<usize, StoreError> {
        let owed: &[ReportFormat] = if record.kind.led_by_coordinator() {
            &[ReportFormat::SlideDeck, ReportFormat::WrittenReport]
        } else {
            &[ReportFormat::SlideDeck]
        };
        let made = versions(&self.db, record.id).await?;
        Ok(owed
            .iter()
            .filter(|format| {
                !made
                    .iter()
                    .any(|v| v.format == **format && v.status == ReportStatus::Final)
            })
            .count())
    }

    /// Keep a newly generated version as a draft, numbered after the last of its format.
    /// Refused once a version of that format is final.
    pub async fn add_report_version(
        &self,
        challenge: ChallengeId,
        format: ReportFormat,
        content: Vec<u8>,
        author: Author<'_>,
        now: DateTime<Utc>,
    ) -> Result<ReportVersion, StoreError> {
        let txn = self.begin_write().await?;
        reporting(&txn, challenge).await?;
        let existing = versions(&txn, challenge).await?;
        let mine = existing.iter().filter(|version| version.format == format);
        if mine
            .clone()
            .any(|version| version.status == ReportStatus::Final)
        {
            return Err(StoreError::Conflict(
                "This report is final: no new versions can be made",
            ));
        }
        let number = mine.map(|version| version.version).max().unwrap_or(0) + 1;
        let id = ReportVersionId::new();
        let recommendations = recommendations_now(&txn, challenge).await?;
        let size = i64::try_from(content.len()).map_err(|_| StoreError::corrupt("report size"))?;
        report_version::ActiveModel {
            id: Set(id.as_uuid()),
            challenge_id: Set(challenge.as_uuid()),
            format: Set(format.code().to_owned()),
            version: Set(number),
            status: Set(ReportStatus::Draft.code().to_owned()),
            content: Set(content),
            size_bytes: Set(size),
            created_by: Set(Some(author.user.as_uuid())),
            created_by_name: Set(author.name.to_owned()),
            created_at: Set(now),
            shared_at: Set(None),
            finalised_at: Set(None),
            recommendations: Set(Some(recommendations)),
        }
        .insert(&txn)
        .await?;
        let summary = format!(
            "{} version {number} made for challenge {challenge}",
            format.label()
        );
        audit::append(
            &txn,
            report_event(author.user, "report.generated", id, summary),
            now,
        )
        .await?;
        let made = versions(&txn, challenge)
            .await?
            .into_iter()
            .find(|version| version.id == id)
            .ok_or(StoreError::NotFound)?;
        txn.commit().await?;
        Ok(made)
    }

    /// Every version of the challenge's reports, by format, newest first, with comments.
    pub async fn report_versions(
        &self,
        challenge: ChallengeId,
    ) -> Result<Vec<ReportVersion>, StoreError> {
        versions(&self.db, challenge).await
    }

    /// The recommendations of the newest version the host may see (shared or final), for
    /// people outside the team: never a finding still being drafted. Empty when no version
    /// has been shared.
    pub async fn shared_recommendations(
        &self,
        challenge: ChallengeId,
    ) -> Result<Vec<ReportedRecommendation>, StoreError> {
        use report_version::Column as C;
        let seen_by_host: Vec<&str> = [ReportStatus::Shared, ReportStatus::Final]
            .iter()
            .map(|status| status.code())
            .collect();
        let newest: Option<Option<String>> = report_version::Entity::find()
            .select_only()
            .column(C::Recommendations)
            .filter(C::ChallengeId.eq(challenge.as_uuid()))
            .filter(C::Status.is_in(seen_by_host))
            .filter(C::Recommendations.is_not_null())
            .order_by_desc(C::CreatedAt)
            .into_tuple()
            .one(&self.db)
            .await?;
        match newest.flatten() {
            Some(json) => serde_json::from_str(&json).map_err(StoreError::corrupt),
            None => Ok(Vec::new()),
        }
    }

    /// A version with its bytes, for a download (None if the challenge has no such version).
    pub async fn report_file(
        &self,
        challenge: ChallengeId,
        id: ReportVersionId,
    ) -> Result<Option<(ReportVersion, Vec<u8>)>, StoreError> {
        let Some(version) = versions(&self.db, challenge)
            .await?
            .into_iter()
            .find(|version| version.id == id)
        else {
            return Ok(None);
        };
        let content: Option<Vec<u8>> = report_version::Entity::find_by_id(id.as_uuid())
            .select_only()
            .column(report_version::Column::Content)
            .into_tuple()
            .one(&self.db)
            .await?;
        Ok(content.map(|content| (version, content)))
    }

    /// Share the newest draft with the host's LA lead for a factual-accuracy check.
    pub async fn share_report(
        &self,
        challenge: ChallengeId,
        id: ReportVersionId,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.move_report(
            challenge,
            id,
            (ReportStatus::Draft, ReportStatus::Shared),
            by,
            Vec::new(),
            now,
        )
        .await
    }

    /// [`Store::share_report`] or [`Store::finalise_report`] (by `to`), with `emails` into the
    /// outbox in the same transaction.
    pub async fn move_report_and_tell(
        &self,
        challenge: ChallengeId,
        id: ReportVersionId,
        to: ReportStatus,
        by: UserId,
        emails: Vec<NewEmail>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let from = match to {
            ReportStatus::Shared => ReportStatus::Draft,
            _ => ReportStatus::Shared,
        };
        self.move_report(challenge, id, (from, to), by, emails, now)
            .await
    }

    /// Make the newest shared version final: the report is agreed.
    pub async fn finalise_report(
        &self,
        challenge: ChallengeId,
        id: ReportVersionId,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.move_report(
            challenge,
            id,
            (ReportStatus::Shared, ReportStatus::Final),
            by,
            Vec::new(),
            now,
        )
        .await
    }

    async fn move_report(
        &self,
        challenge: ChallengeId,
        id: ReportVersionId,
        (from, to): (ReportStatus, ReportStatus),
        by: UserId,
        emails: Vec<NewEmail>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        reporting(&txn, challenge).await?;
        let version = newest_in(&txn, challenge, id, from).await?;
        let stamp = match to {
            ReportStatus::Shared => report_version::Column::SharedAt,
            _ => report_version::Column::FinalisedAt,
        };
        // Conditional on the status it came from: of two people pressing at once, one moves it.
        let moved = report_version::Entity::update_many()
            .col_expr(report_version::Column::Status, Expr::value(to.code()))
            .col_expr(stamp, Expr::value(now))
            .filter(report_version::Column::Id.eq(id.as_uuid()))
            .filter(report_version::Column::Status.eq(from.code()))
            .exec(&txn)
            .await?;
        if moved.rows_affected != 1 {
            return Err(StoreError::Conflict(
                "Someone else has just changed this version",
            ));
        }
        let summary = format!(
            "{} version {} {}",
            version.format.label(),
            version.version,
            to.label().to_lowercase()
        );
        let action = match to {
            ReportStatus::Shared => "report.shared",
            _ => "report.finalised",
        };
        audit::append(&txn, report_event(by, action, id, summary), now).await?;
        crate::challenges::enqueue_all(&txn, emails, now).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The host's comment on a version shared with them.
    pub async fn comment_on_report(
        &self,
        challenge: ChallengeId,
        id: ReportVersionId,
        text: &str,
        author: Author<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        reporting(&txn, challenge).await?;
        newest_in(&txn, challenge, id, ReportStatus::Shared).await?;
        report_comment::ActiveModel {
            id: Set(Uuid::new_v4()),
            report_version_id: Set(id.as_uuid()),
            author_id: Set(Some(author.user.as_uuid())),
            author_name: Set(author.name.to_owned()),
            text: Set(text.to_owned()),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        let summary = format!("Accuracy comment on a report of challenge {challenge}");
        audit::append(
            &txn,
            report_event(author.user, "report.commented", id, summary),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}

/// The challenge's recommendations as they stand, in the findings' order, as JSON.
async fn recommendations_now(
    db: &impl ConnectionTrait,
    challenge: ChallengeId,
) -> Result<String, StoreError> {
    let recommendations: Vec<ReportedRecommendation> = finding::Entity::find()
        .filter(finding::Column::ChallengeId.eq(challenge.as_uuid()))
        .filter(finding::Column::Kind.eq(FindingKind::Recommendation.code()))
        .order_by_asc(finding::Column::Kloe)
        .order_by_asc(finding::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|row| ReportedRecommendation {
            kloe: row.kloe,
            text: row.text,
        })
        .collect();
    serde_json::to_string(&recommendations).map_err(StoreError::corrupt)
}
