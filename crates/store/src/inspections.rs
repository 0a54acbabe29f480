//! Area SEND inspections: each area's history, kept by the co-ordinator and seeded from the
//! shipped reference data.

use chrono::{DateTime, Utc};
use domain::inspections::{Inspection, InspectionKind, InspectionOutcome};
use domain::{AuditEvent, AuditObject, AuthoritySlug, UserId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::entity::inspection;
use crate::{Store, StoreError, audit};

/// An inspection as stored, with its area.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedInspection {
    pub id: Uuid,
    pub area: AuthoritySlug,
    pub inspection: Inspection,
}

fn to_recorded(row: inspection::Model) -> Result<RecordedInspection, StoreError> {
    Ok(RecordedInspection {
        id: row.id,
        area: AuthoritySlug::parse(&row.authority_slug)
            .map_err(|_| StoreError::corrupt(&row.authority_slug))?,
        inspection: Inspection {
            month: row.month,
            kind: InspectionKind::parse(&row.kind).ok_or_else(|| StoreError::corrupt(&row.kind))?,
            outcome: InspectionOutcome::parse(&row.outcome)
                .ok_or_else(|| StoreError::corrupt(&row.outcome))?,
            report_url: row.report_url,
        },
    })
}

/// Write an inspection, or correct the outcome and report of the one of that month and kind.
/// `keep_existing`: the seed never overwrites what the co-ordinator has corrected.
pub(crate) async fn upsert(
    db: &impl ConnectionTrait,
    area: &AuthoritySlug,
    inspection: &Inspection,
    now: DateTime<Utc>,
    keep_existing: bool,
) -> Result<(), StoreError> {
    use inspection::Column;
    let mut on_conflict = OnConflict::columns([Column::AuthoritySlug, Column::Month, Column::Kind]);
    if keep_existing {
        on_conflict.do_nothing();
    } else {
        on_conflict.update_columns([Column::Outcome, Column::ReportUrl, Column::RecordedAt]);
    }
    inspection::Entity::insert(inspection::ActiveModel {
        id: Set(Uuid::new_v4()),
        authority_slug: Set(area.to_string()),
        month: Set(inspection.month),
        kind: Set(inspection.kind.code().to_owned()),
        outcome: Set(inspection.outcome.code().to_owned()),
        report_url: Set(inspection.report_url.clone()),
        recorded_at: Set(now),
    })
    .on_conflict(on_conflict.to_owned())
    .exec_without_returning(db)
    .await?;
    Ok(())
}

impl Store {
    /// Every recorded inspection, by area then month, oldest first.
    pub async fn inspections(
        &self,
        area: Option<&AuthoritySlug>,
    ) -> Result<Vec<RecordedInspection>, StoreError> {
        let mut query = inspection::Entity::find();
        if let Some(area) = area {
            query = query.filter(inspection::Column::AuthoritySlug.eq(area.as_str()));
        }
        query
            .order_by_asc(inspection::Column::AuthoritySlug)
            .order_by_asc(inspection::Column::Month)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_recorded)
            .collect()
    }

    /// Record an inspection (or correct the one of that month and kind), audited.
    pub async fn record_inspection(
        &self,
        area: &AuthoritySlug,
        inspection: &Inspection,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        upsert(&txn, area, inspection, now, false).await?;
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by),
                "inspection.recorded",
                AuditObject::new("authority", area),
                format!(
                    "{} of {}: {}",
                    inspection.kind.label(),
                    inspection.month.format("%Y-%m"),
                    inspection.outcome.code()
                ),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}
