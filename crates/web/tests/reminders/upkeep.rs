//! The scheduled upkeep on both databases: each job runs once however many instances sweep
//! at once, a failed job is retried after a minute and then less often (not a day later),
//! and the co-ordinator's page and the metrics say how each job last ended.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Duration;
use domain::upkeep::{RunOutcome, UpkeepJob};
use services::upkeep::{ExtraJob, Upkeep};

use super::support::{TestApp, Who};
use super::sweep_day;

/// A stand-in for the backup that fails its first `failures` runs, then succeeds, counting
/// how often it ran.
fn flaky_backup(failures: usize, runs: Arc<AtomicUsize>) -> ExtraJob {
    Box::new(move |_store| {
        let run = runs.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move {
            if run < failures {
                Err(format!("the backup folder was full (run {run})"))
            } else {
                Ok("copied".to_owned())
            }
        })
    })
}

fn outcome_of(ran: &[(UpkeepJob, RunOutcome)], job: UpkeepJob) -> Option<&RunOutcome> {
    ran.iter()
        .find(|(which, _)| *which == job)
        .map(|(_, outcome)| outcome)
}

async fn a_failed_job_is_retried_with_backoff_and_shown(app: TestApp) {
    let runs = Arc::new(AtomicUsize::new(0));
    let upkeep = Upkeep::new(app.store.clone(), app.settings.clone())
        .with_backup(flaky_backup(2, runs.clone()));
    let start = sweep_day();

    let first = upkeep.run_pending(start).await.expect("sweep");
    assert_eq!(first.len(), UpkeepJob::ALL.len(), "every job runs at start");
    assert!(outcome_of(&first, UpkeepJob::RetentionPurge).is_some_and(RunOutcome::succeeded));
    assert!(outcome_of(&first, UpkeepJob::NextStepsReminders).is_some_and(RunOutcome::succeeded));
    assert!(!outcome_of(&first, UpkeepJob::ScheduledBackup).is_some_and(RunOutcome::succeeded));

    // A second instance sweeping at the same moment finds nothing left to do.
    let other_instance = Upkeep::new(app.store.clone(), app.settings.clone())
        .with_backup(flaky_backup(0, runs.clone()));
    assert!(
        other_instance
            .run_pending(start)
            .await
            .expect("sweep")
            .is_empty()
    );
    assert_eq!(runs.load(Ordering::SeqCst), 1);

    // The failed job comes back within minutes, not tomorrow; the others wait their day.
    let soon = start + Duration::seconds(30);
    assert!(upkeep.run_pending(soon).await.expect("sweep").is_empty());
    let retried = upkeep
        .run_pending(start + Duration::minutes(2))
        .await
        .expect("sweep");
    assert_eq!(retried.len(), 1, "only the failed job: {retried:?}");
    assert!(!retried[0].1.succeeded(), "fails a second time");

    // The page says it failed twice in a row and when it runs next.
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    let page = coordinator.get("/admin/upkeep").await;
    assert_eq!(page.status, axum::http::StatusCode::OK);
    assert!(page.body.contains("Back up the database"), "{}", page.body);
    assert!(page.body.contains("the backup folder was full (run 1)"));
    assert!(page.body.contains("2 failures in a row"));
    assert!(page.body.contains(">Failed</strong>"));
    assert!(page.body.contains("Remind LA leads about next steps"));

    // The wait has doubled: two minutes after the second failure, then it succeeds and
    // goes back to daily.
    let statuses = app.store.upkeep_jobs(start).await.expect("statuses");
    let backup = statuses
        .iter()
        .find(|status| status.job == UpkeepJob::ScheduledBackup)
        .expect("the backup's row");
    assert_eq!(backup.failures_in_a_row, 2);
    let next = backup.next_run_at;
    assert!(next - (start + Duration::minutes(2)) >= Duration::minutes(2));
    assert!(next - (start + Duration::minutes(2)) < Duration::minutes(3));
    let third = upkeep.run_pending(next).await.expect("sweep");
    assert!(third[0].1.succeeded(), "{third:?}");
    let statuses = app.store.upkeep_jobs(next).await.expect("statuses");
    let backup = statuses
        .iter()
        .find(|status| status.job == UpkeepJob::ScheduledBackup)
        .expect("the backup's row");
    assert_eq!(backup.failures_in_a_row, 0);
    assert!(backup.next_run_at - next >= Duration::hours(23));
    assert_eq!(runs.load(Ordering::SeqCst), 3);
}

crate::app_test!(
    a_failed_job_is_retried_with_backoff_and_shown,
    a_failed_job_is_retried_with_backoff_and_shown
);

/// A job whose instance died mid-run is taken up again once its lease ends.
async fn a_job_held_by_a_dead_instance_is_freed_by_its_lease(app: TestApp) {
    let start = sweep_day();
    let lease = Duration::minutes(30);
    let claimed = app
        .store
        .claim_upkeep_job(UpkeepJob::RetentionPurge, start, lease)
        .await
        .expect("claim");
    assert!(claimed.is_some());
    let again = app
        .store
        .claim_upkeep_job(
            UpkeepJob::RetentionPurge,
            start + Duration::minutes(5),
            lease,
        )
        .await
        .expect("claim");
    assert!(again.is_none(), "held by the first instance");
    let after_lease = app
        .store
        .claim_upkeep_job(
            UpkeepJob::RetentionPurge,
            start + Duration::minutes(31),
            lease,
        )
        .await
        .expect("claim");
    assert!(after_lease.is_some(), "the lease ended");
}

crate::app_test!(
    a_job_held_by_a_dead_instance_is_freed_by_its_lease,
    a_job_held_by_a_dead_instance_is_freed_by_its_lease
);
