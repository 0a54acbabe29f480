//! Published data: releases of statistics files and the figures each gave. An import is one
//! transaction: a release is written once, its figures added or corrected, and nothing else
//! touched, so the same file twice changes nothing and a later release keeps what the
//! earlier said.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::indicators::{
    GeographicLevel, Indicator, KnownArea, Observation, Period, Reading, Suppression,
};
use domain::{AuditEvent, AuditObject, AuthoritySlug, UserId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::entity::{indicator_release, indicator_value, local_authority};
use crate::{Store, StoreError, audit};

/// One imported release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndicatorRelease {
    pub publication: String,
    pub release: String,
    pub imported_at: DateTime<Utc>,
    pub imported_by: String,
    pub values: u64,
}

/// What an import did, by level and period (as "Local authority 2023"), and in all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// (level, period, figures in the file), in level then period order.
    pub by_level_and_period: Vec<(GeographicLevel, Period, u64)>,
    /// Figures this release had not given before.
    pub added: u64,
    /// Figures this release had given differently (a corrected file of the same release).
    pub corrected: u64,
    /// Figures that differ from what an earlier release said (kept, with which said what).
    pub revised: u64,
    /// Figures already there as they are.
    pub unchanged: u64,
    /// Whether this release was new.
    pub new_release: bool,
}

/// A figure as it stands (from the latest release that gave it), with what earlier releases
/// said when they differ.
#[derive(Clone, Debug, PartialEq)]
pub struct PublishedValue {
    pub indicator: Indicator,
    pub level: GeographicLevel,
    pub area_code: String,
    pub area_name: String,
    pub authority: Option<AuthoritySlug>,
    pub period: Period,
    pub reading: Reading,
    pub release: String,
    /// (release, reading) of earlier releases that said something else, oldest first.
    pub earlier: Vec<(String, Reading)>,
}

type Key = (Indicator, String, Period);

fn key_of(observation: &Observation) -> Key {
    (
        observation.indicator,
        observation.area_code.clone(),
        observation.period.clone(),
    )
}

fn reading_of(row: &indicator_value::Model) -> Result<Reading, StoreError> {
    match (&row.value, &row.symbol) {
        (Some(value), None) => Ok(Reading::Value(*value)),
        (None, Some(symbol)) => Suppression::parse(symbol)
            .map(Reading::Missing)
            .ok_or_else(|| StoreError::corrupt(symbol)),
        _ => Err(StoreError::corrupt(row.id)),
    }
}

fn row_key(row: &indicator_value::Model) -> Result<Key, StoreError> {
    Ok((
        Indicator::parse(&row.indicator).ok_or_else(|| StoreError::corrupt(&row.indicator))?,
        row.area_code.clone(),
        Period {
            time_period: row.time_period.clone(),
            time_identifier: row.time_identifier.clone(),
        },
    ))
}

fn split(reading: Reading) -> (Option<f64>, Option<String>) {
    match reading {
        Reading::Value(value) => (Some(value), None),
        Reading::Missing(symbol) => (None, Some(symbol.code().to_owned())),
    }
}

/// Write one release's observations in `db` (a transaction). Shared by the import and the
/// shipped reference data.
pub(crate) async fn import_in(
    db: &impl ConnectionTrait,
    publication: &str,
    release: &str,
    file_sha256: &str,
    imported_by: &str,
    observations: &[Observation],
    now: DateTime<Utc>,
) -> Result<(Uuid, ImportSummary), StoreError> {
    let mut summary = ImportSummary::default();
    let existing = indicator_release::Entity::find()
        .filter(indicator_release::Column::Publication.eq(publication))
        .filter(indicator_release::Column::Release.eq(release))
        .one(db)
        .await?;
    let release_row = match existing {
        Some(row) => row,
        None => {
            summary.new_release = true;
            let row = indicator_release::Model {
                id: Uuid::new_v4(),
                publication: publication.to_owned(),
                release: release.to_owned(),
                file_sha256: file_sha256.to_owned(),
                imported_at: now,
                imported_by: imported_by.to_owned(),
            };
            indicator_release::Entity::insert(indicator_release::ActiveModel {
                id: Set(row.id),
                publication: Set(row.publication.clone()),
                release: Set(row.release.clone()),
                file_sha256: Set(row.file_sha256.clone()),
                imported_at: Set(row.imported_at),
                imported_by: Set(row.imported_by.clone()),
            })
            .exec(db)
            .await?;
            row
        }
    };
    // What this release said already, and what earlier releases of any publication said.
    let earlier_releases: Vec<Uuid> = indicator_release::Entity::find()
        .filter(indicator_release::Column::ImportedAt.lt(release_row.imported_at))
        .order_by_asc(indicator_release::Column::ImportedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let indicators: Vec<&str> = {
        let mut codes: Vec<&str> = observations.iter().map(|o| o.indicator.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        codes
    };
    let mut ours: HashMap<Key, (Uuid, Reading)> = HashMap::new();
    let mut before: HashMap<Key, Reading> = HashMap::new();
    let mut release_ids = earlier_releases.clone();
    release_ids.push(release_row.id);
    let order: HashMap<Uuid, usize> = release_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i))
        .collect();
    let mut rows = indicator_value::Entity::find()
        .filter(indicator_value::Column::ReleaseId.is_in(release_ids.clone()))
        .filter(indicator_value::Column::Indicator.is_in(indicators))
        .all(db)
        .await?;
    rows.sort_by_key(|row| order.get(&row.release_id).copied().unwrap_or(0));
    for row in &rows {
        let key = row_key(row)?;
        let reading = reading_of(row)?;
        if row.release_id == release_row.id {
            ours.insert(key, (row.id, reading));
        } else {
            before.insert(key, reading);
        }
    }
    let mut counts: HashMap<(GeographicLevel, Period), u64> = HashMap::new();
    let mut to_insert = Vec::new();
    for observation in observations {
        *counts
            .entry((observation.level, observation.period.clone()))
            .or_default() += 1;
        let key = key_of(observation);
        if before
            .get(&key)
            .is_some_and(|earlier| *earlier != observation.reading)
        {
            summary.revised += 1;
        }
        let (value, symbol) = split(observation.reading);
        match ours.get(&key) {
            Some((_, reading)) if *reading == observation.reading => summary.unchanged += 1,
            Some((id, _)) => {
                summary.corrected += 1;
                indicator_value::Entity::update_many()
                    .col_expr(indicator_value::Column::Value, value.into())
                    .col_expr(indicator_value::Column::Symbol, symbol.into())
                    .col_expr(
                        indicator_value::Column::AreaName,
                        observation.area_name.clone().into(),
                    )
                    .filter(indicator_value::Column::Id.eq(*id))
                    .exec(db)
                    .await?;
            }
            None => {
                summary.added += 1;
                to_insert.push(indicator_value::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    release_id: Set(release_row.id),
                    indicator: Set(observation.indicator.code().to_owned()),
                    level: Set(observation.level.code().to_owned()),
                    area_code: Set(observation.area_code.clone()),
                    area_name: Set(observation.area_name.clone()),
                    authority_slug: Set(observation.authority.as_ref().map(ToString::to_string)),
                    time_period: Set(observation.period.time_period.clone()),
                    time_identifier: Set(observation.period.time_identifier.clone()),
                    value: Set(value),
                    symbol: Set(symbol),
                });
            }
        }
    }
    // 12 parameters a row: 500 rows stay well inside SQLite's and PostgreSQL's limits.
    let mut batches = to_insert.into_iter().peekable();
    while batches.peek().is_some() {
        let batch: Vec<_> = batches.by_ref().take(500).collect();
        indicator_value::Entity::insert_many(batch)
            .on_conflict(
                OnConflict::columns([
                    indicator_value::Column::ReleaseId,
                    indicator_value::Column::Indicator,
                    indicator_value::Column::AreaCode,
                    indicator_value::Column::TimePeriod,
                    indicator_value::Column::TimeIdentifier,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    if summary.added + summary.corrected > 0 && release_row.file_sha256 != file_sha256 {
        indicator_release::Entity::update_many()
            .col_expr(
                indicator_release::Column::FileSha256,
                file_sha256.to_owned().into(),
            )
            .filter(indicator_release::Column::Id.eq(release_row.id))
            .exec(db)
            .await?;
    }
    let mut by: Vec<_> = counts.into_iter().map(|((l, p), n)| (l, p, n)).collect();
    by.sort();
    summary.by_level_and_period = by;
    Ok((release_row.id, summary))
}

impl Store {
    /// Import one release's observations, all or nothing, and audit it.
    pub async fn import_indicators(
        &self,
        publication: &str,
        release: &str,
        file_sha256: &str,
        observations: &[Observation],
        by: Option<(UserId, &str)>,
        now: DateTime<Utc>,
    ) -> Result<ImportSummary, StoreError> {
        let txn = self.begin_write().await?;
        let who = by.map_or("the command line", |(_, name)| name);
        let (id, summary) = import_in(
            &txn,
            publication,
            release,
            file_sha256,
            who,
            observations,
            now,
        )
        .await?;
        if summary.added + summary.corrected > 0 {
            audit::append(
                &txn,
                AuditEvent::new(
                    by.map(|(user, _)| user),
                    "indicators.imported",
                    AuditObject::new("indicator_release", id),
                    format!(
                        "{publication}, {release}: {} added, {} corrected, {} revising an earlier release",
                        summary.added, summary.corrected, summary.revised
                    ),
                ),
                now,
            )
            .await?;
        }
        txn.commit().await?;
        Ok(summary)
    }

    /// Every release imported, newest first, with how many figures each gave.
    pub async fn indicator_releases(&self) -> Result<Vec<IndicatorRelease>, StoreError> {
        let releases = indicator_release::Entity::find()
            .order_by_desc(indicator_release::Column::ImportedAt)
            .all(&self.db)
            .await?;
        let mut counts: HashMap<Uuid, u64> = HashMap::new();
        for id in indicator_value::Entity::find()
            .select_only()
            .column(indicator_value::Column::ReleaseId)
            .into_tuple::<Uuid>()
            .all(&self.db)
            .await?
        {
            *counts.entry(id).or_default() += 1;
        }
        Ok(releases
            .into_iter()
            .map(|r| IndicatorRelease {
                values: counts.get(&r.id).copied().unwrap_or(0),
                publication: r.publication,
                release: r.release,
                imported_at: r.imported_at,
                imported_by: r.imported_by,
            })
            .collect())
    }

    /// An indicator's figures for these places as they stand, each from the latest release
    /// that gave it, in place then period order.
    pub async fn published_values(
        &self,
        indicator: Indicator,
        area_codes: &[String],
    ) -> Result<Vec<PublishedValue>, StoreError> {
        let releases: HashMap<Uuid, indicator_release::Model> = indicator_release::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
        let mut rows = indicator_value::Entity::find()
            .filter(indicator_value::Column::Indicator.eq(indicator.code()))
            .filter(indicator_value::Column::AreaCode.is_in(area_codes.iter().cloned()))
            .all(&self.db)
            .await?;
        rows.sort_by_key(|row| releases.get(&row.release_id).map(|r| r.imported_at));
        let mut values: HashMap<Key, PublishedValue> = HashMap::new();
        for row in rows {
            let key = row_key(&row)?;
            let reading = reading_of(&row)?;
            let release = releases
                .get(&row.release_id)
                .map(|r| r.release.clone())
                .unwrap_or_default();
            let level = GeographicLevel::parse(&row.level)
                .ok_or_else(|| StoreError::corrupt(&row.level))?;
            let authority = match &row.authority_slug {
                Some(slug) => {
                    Some(AuthoritySlug::parse(slug).map_err(|_| StoreError::corrupt(slug))?)
                }
                None => None,
            };
            match values.get_mut(&key) {
                Some(current) => {
                    if current.reading != reading {
                        let was = (current.release.clone(), current.reading);
                        current.earlier.push(was);
                    }
                    current.reading = reading;
                    current.release = release;
                    current.area_name = row.area_name;
                }
                None => {
                    values.insert(
                        key.clone(),
                        PublishedValue {
                            indicator,
                            level,
                            area_code: key.1.clone(),
                            area_name: row.area_name,
                            authority,
                            period: key.2.clone(),
                            reading,
                            release,
                            earlier: Vec::new(),
                        },
                    );
                }
            }
        }
        let mut values: Vec<PublishedValue> = values.into_values().collect();
        values.sort_by(|a, b| (&a.area_code, &a.period).cmp(&(&b.area_code, &b.period)));
        Ok(values)
    }

    /// The authorities the importer names rows by: every one the product knows, current or
    /// former.
    pub async fn known_areas(&self) -> Result<Vec<KnownArea>, StoreError> {
        local_authority::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| {
                Ok(KnownArea {
                    slug: AuthoritySlug::parse(&row.slug)
                        .map_err(|_| StoreError::corrupt(&row.slug))?,
                    gss_code: row.gss_code,
                    dfe_number: row.dfe_number,
                })
            })
            .collect()
    }
}
