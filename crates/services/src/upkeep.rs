//! The server's scheduled upkeep: the retention purges and the next-steps reminders (and,
//! when configured, the scheduled backup), each run daily by whichever instance claims it
//! first. A failed run is retried with backoff (`domain::upkeep`), and every job's last run,
//! outcome and next run are kept in the database for the co-ordinator's page and `/metrics`.
//! The server loops over [`Upkeep::run_pending`]; tests call it directly with the time they
//! want.

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Duration, Utc};
use domain::upkeep::{RunOutcome, UpkeepJob, next_run};
use store::{Store, StoreError, UpkeepJobStatus};
use tokio::sync::watch;

use crate::reminders::{send_due_reminders, send_return_reminders};
use crate::settings::Settings;

/// How long an instance holds a job it is running; one that dies holding it frees it then.
const LEASE: Duration = Duration::minutes(30);
/// How often the server looks for a due job: the shortest retry is a minute.
const POLL: std::time::Duration = std::time::Duration::from_secs(60);

/// Runs a job that needs more than the store and the settings (the backup, which the binary
/// provides): its summary on success, or the cause of failure.
pub type ExtraJob = Box<
    dyn Fn(Store) -> Pin<Box<dyn Future<Output = Result<String, String>> + Send>> + Send + Sync,
>;

pub struct Upkeep {
    store: Store,
    settings: Settings,
    backup: Option<ExtraJob>,
}

impl std::fmt::Debug for Upkeep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upkeep")
            .field("backup", &self.backup.is_some())
            .finish_non_exhaustive()
    }
}

impl Upkeep {
    pub fn new(store: Store, settings: Settings) -> Self {
        Self {
            store,
            settings,
            backup: None,
        }
    }

    /// Also run the scheduled backup daily.
    pub fn with_backup(mut self, backup: ExtraJob) -> Self {
        self.backup = Some(backup);
        self
    }

    fn jobs(&self) -> impl Iterator<Item = UpkeepJob> + '_ {
        UpkeepJob::ALL
            .into_iter()
            .filter(|job| *job != UpkeepJob::ScheduledBackup || self.backup.is_some())
    }

    /// Run every job due at `now` that no other instance holds, and record how each ended.
    /// Returns what ran; an error only if the job table itself could not be reached.
    pub async fn run_pending(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<(UpkeepJob, RunOutcome)>, StoreError> {
        let mut ran = Vec::new();
        for job in self.jobs() {
            let Some(claimed) = self.store.claim_upkeep_job(job, now, LEASE).await? else {
                continue;
            };
            let outcome = self.run(job, now).await;
            match &outcome {
                RunOutcome::Succeeded(summary) => {
                    tracing::info!(job = job.code(), %summary, "upkeep job done")
                }
                RunOutcome::Failed(cause) => {
                    tracing::warn!(job = job.code(), %cause, "upkeep job failed")
                }
            }
            let failures = if outcome.succeeded() {
                0
            } else {
                claimed.failures_in_a_row.saturating_add(1)
            };
            let finished = Utc::now().max(now);
            let next = next_run(job, &outcome, failures, finished);
            self.store
                .finish_upkeep_job(job, &outcome, finished, next)
                .await?;
            ran.push((job, outcome));
        }
        Ok(ran)
    }

    async fn run(&self, job: UpkeepJob, now: DateTime<Utc>) -> RunOutcome {
        let settings = &self.settings;
        let result = match job {
            UpkeepJob::RetentionPurge => self
                .store
                .purge_expired_personal_data(settings.retention_months, now)
                .await
                .map(|report| report.to_string())
                .map_err(failure),
            UpkeepJob::WorkingNotesPurge => self
                .store
                .purge_working_notes(settings.working_notes_days, now)
                .await
                .map(|purged| purged.to_string())
                .map_err(failure),
            UpkeepJob::NextStepsReminders => {
                let actions =
                    send_due_reminders(&self.store, settings.reminders, &settings.base_url, now)
                        .await;
                let returns =
                    send_return_reminders(&self.store, settings.reminders, &settings.base_url, now)
                        .await;
                // Thematic events' KLOEs go out on their date; nominees hear a week and a
                // day before.
                let events = match crate::events::share_due_kloes(&self.store, now).await {
                    Ok(shared) => crate::events::send_event_reminders(&self.store, now)
                        .await
                        .map(|reminded| reminded + shared),
                    Err(error) => Err(error),
                };
                actions
                    .and_then(|sent| {
                        returns.and_then(|returns| {
                            events.map(|events| {
                                format!(
                                    "{} due soon, {} overdue, {} without an update, {returns} about returns, {events} about events",
                                    sent.due_soon, sent.overdue, sent.no_update
                                )
                            })
                        })
                    })
                    .map_err(failure)
            }
            UpkeepJob::ScheduledBackup => match &self.backup {
                Some(backup) => backup(self.store.clone()).await,
                None => Ok("not configured".to_owned()),
            },
        };
        match result {
            Ok(summary) => RunOutcome::Succeeded(summary),
            Err(cause) => RunOutcome::Failed(cause),
        }
    }

    /// Set the gauges `/metrics` shows from the shared table, so every instance reports the
    /// same, whichever ran the job.
    pub async fn publish_metrics(&self, now: DateTime<Utc>) -> Result<(), StoreError> {
        for status in self.store.upkeep_jobs(now).await? {
            publish(&status);
        }
        Ok(())
    }

    /// Loop until shutdown: run what is due, publish the metrics, wait a minute.
    pub async fn run_until_shutdown(self, mut stopped: watch::Receiver<bool>) {
        loop {
            let now = Utc::now();
            if let Err(error) = self.run_pending(now).await {
                tracing::warn!(%error, "could not reach the upkeep jobs");
            }
            if let Err(error) = self.publish_metrics(now).await {
                tracing::warn!(%error, "could not read the upkeep jobs for metrics");
            }
            tokio::select! {
                _ = tokio::time::sleep(POLL) => {}
                _ = stopped.changed() => return,
            }
        }
    }
}

/// What the co-ordinator reads about a failure: the kind of problem, not SQL or paths (the
/// full cause is in the log, written by `run_pending`).
fn failure(error: StoreError) -> String {
    tracing::debug!(%error, "upkeep job error");
    match error {
        StoreError::Database(_) => {
            "The database could not finish the job (the server log has the details)".to_owned()
        }
        StoreError::Conflict(what) => format!("A conflicting change: {what}"),
        StoreError::NotFound => "Something the job needed was not found".to_owned(),
        StoreError::Stale => "Something the job read changed while it ran".to_owned(),
        StoreError::Corrupt(_) => {
            "Stored data could not be read (the server log has the details)".to_owned()
        }
    }
}

fn publish(status: &UpkeepJobStatus) {
    let job = status.job.code();
    let seconds = |at: DateTime<Utc>| at.timestamp() as f64;
    metrics::gauge!("upkeep_next_run_timestamp_seconds", "job" => job)
        .set(seconds(status.next_run_at));
    if let Some(at) = status.last_finished_at {
        metrics::gauge!("upkeep_last_run_timestamp_seconds", "job" => job).set(seconds(at));
    }
    if let Some(at) = status.last_success_at {
        metrics::gauge!("upkeep_last_success_timestamp_seconds", "job" => job).set(seconds(at));
    }
    let succeeded = status
        .last_outcome
        .as_ref()
        .is_some_and(RunOutcome::succeeded);
    metrics::gauge!("upkeep_last_run_succeeded", "job" => job).set(f64::from(u8::from(succeeded)));
    metrics::gauge!("upkeep_failures_in_a_row", "job" => job)
        .set(f64::from(status.failures_in_a_row));
}
