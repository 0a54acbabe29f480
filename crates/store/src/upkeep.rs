//! The scheduled upkeep jobs' shared state. Every instance of a deployment sees the same
//! rows: a job is claimed with a conditional update and a lease, so only one instance runs
//! it at a time, and one that died holding it frees it when the lease ends.

use chrono::{DateTime, Duration, Utc};
use domain::upkeep::{RunOutcome, UpkeepJob};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, Set};

use crate::entity::upkeep_job::{self, Column};
use crate::{Store, StoreError};

/// The longest summary kept of a run: enough for counts or an error's first line.
const SUMMARY_CHARS: usize = 500;

/// A job claimed to run now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClaimedJob {
    pub job: UpkeepJob,
    /// How many runs before this one failed in a row.
    pub failures_in_a_row: u32,
}

/// Where a job stands, for the co-ordinator's page and the metrics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpkeepJobStatus {
    pub job: UpkeepJob,
    pub next_run_at: DateTime<Utc>,
    /// Some instance is running it now.
    pub running: bool,
    pub last_started_at: Option<DateTime<Utc>>,
    pub last_finished_at: Option<DateTime<Utc>>,
    pub last_outcome: Option<RunOutcome>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub failures_in_a_row: u32,
}

impl Store {
    /// Claim `job` for `lease` if it is due at `now` and no live instance holds it. A job
    /// never seen before is due at once.
    pub async fn claim_upkeep_job(
        &self,
        job: UpkeepJob,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Option<ClaimedJob>, StoreError> {
        upkeep_job::Entity::insert(upkeep_job::ActiveModel {
            name: Set(job.code().to_owned()),
            next_run_at: Set(now),
            claimed_until: Set(None),
            last_started_at: Set(None),
            last_finished_at: Set(None),
            last_succeeded: Set(None),
            last_summary: Set(None),
            last_success_at: Set(None),
            failures_in_a_row: Set(0),
        })
        .on_conflict_do_nothing_on([Column::Name])
        .exec(&self.db)
        .await?;
        let claimed = upkeep_job::Entity::update_many()
            .col_expr(Column::ClaimedUntil, Expr::value(now + lease))
            .col_expr(Column::LastStartedAt, Expr::value(now))
            .filter(Column::Name.eq(job.code()))
            .filter(Column::NextRunAt.lte(now))
            .filter(
                Condition::any()
                    .add(Column::ClaimedUntil.is_null())
                    .add(Column::ClaimedUntil.lte(now)),
            )
            .exec(&self.db)
            .await?;
        if claimed.rows_affected != 1 {
            return Ok(None);
        }
        let row = upkeep_job::Entity::find_by_id(job.code().to_owned())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(Some(ClaimedJob {
            job,
            failures_in_a_row: u32::try_from(row.failures_in_a_row).unwrap_or(0),
        }))
    }

    /// Record how a claimed run of `job` ended, release it and set its next run.
    pub async fn finish_upkeep_job(
        &self,
        job: UpkeepJob,
        outcome: &RunOutcome,
        finished: DateTime<Utc>,
        next_run: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let summary: String = outcome.summary().chars().take(SUMMARY_CHARS).collect();
        let mut update = upkeep_job::Entity::update_many()
            .col_expr(
                Column::ClaimedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(Column::LastFinishedAt, Expr::value(finished))
            .col_expr(Column::LastSucceeded, Expr::value(outcome.succeeded()))
            .col_expr(Column::LastSummary, Expr::value(summary))
            .col_expr(Column::NextRunAt, Expr::value(next_run));
        update = if outcome.succeeded() {
            update
                .col_expr(Column::LastSuccessAt, Expr::value(finished))
                .col_expr(Column::FailuresInARow, Expr::value(0))
        } else {
            update.col_expr(
                Column::FailuresInARow,
                Expr::col(Column::FailuresInARow).add(1),
            )
        };
        update
            .filter(Column::Name.eq(job.code()))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Every job that has ever been scheduled, in the order of [`UpkeepJob::ALL`].
    pub async fn upkeep_jobs(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<UpkeepJobStatus>, StoreError> {
        let rows = upkeep_job::Entity::find().all(&self.db).await?;
        let mut statuses: Vec<UpkeepJobStatus> = rows
            .into_iter()
            .filter_map(|row| status_of(row, now))
            .collect();
        statuses.sort_by_key(|status| UpkeepJob::ALL.iter().position(|job| *job == status.job));
        Ok(statuses)
    }
}

/// A row as a status; a row of a job this version no longer runs is left out.
fn status_of(row: upkeep_job::Model, now: DateTime<Utc>) -> Option<UpkeepJobStatus> {
    let job = UpkeepJob::from_code(&row.name)?;
    let last_outcome = row.last_succeeded.map(|succeeded| {
        let summary = row.last_summary.clone().unwrap_or_default();
        if succeeded {
            RunOutcome::Succeeded(summary)
        } else {
            RunOutcome::Failed(summary)
        }
    });
    Some(UpkeepJobStatus {
        job,
        next_run_at: row.next_run_at,
        running: row.claimed_until.is_some_and(|until| until > now),
        last_started_at: row.last_started_at,
        last_finished_at: row.last_finished_at,
        last_outcome,
        last_success_at: row.last_success_at,
        failures_in_a_row: u32::try_from(row.failures_in_a_row).unwrap_or(0),
    })
}
