//! The server's scheduled upkeep: which jobs run, how often, and when a failed job is tried
//! again. A failure is retried soon, waiting twice as long after each failure in a row up to
//! an hour, so a database that was busy for a moment does not cost a day's reminders.

use chrono::{DateTime, Duration, Utc};

/// A job the server runs on a schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UpkeepJob {
    /// Delete personal data past its retention period (declined applications, leavers, drafts).
    RetentionPurge,
    /// Delete challenges' working notes once their reports have been final long enough.
    WorkingNotesPurge,
    /// Email LA leads about next steps that are due, overdue or stale.
    NextStepsReminders,
    /// Copy the database to the backup folder and keep the newest few copies.
    ScheduledBackup,
}

impl UpkeepJob {
    pub const ALL: [Self; 4] = [
        Self::RetentionPurge,
        Self::WorkingNotesPurge,
        Self::NextStepsReminders,
        Self::ScheduledBackup,
    ];

    /// The name stored in the database and used as the metrics label.
    pub fn code(self) -> &'static str {
        match self {
            Self::RetentionPurge => "retention_purge",
            Self::WorkingNotesPurge => "working_notes_purge",
            Self::NextStepsReminders => "next_steps_reminders",
            Self::ScheduledBackup => "scheduled_backup",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|job| job.code() == code)
    }

    /// What the job is called on the co-ordinator's page.
    pub fn label(self) -> &'static str {
        match self {
            Self::RetentionPurge => "Delete personal data past its retention period",
            Self::WorkingNotesPurge => "Delete challenges' working notes",
            Self::NextStepsReminders => "Remind LA leads about next steps",
            Self::ScheduledBackup => "Back up the database",
        }
    }

    /// How long after a successful run the job runs again.
    pub fn period(self) -> Duration {
        Duration::days(1)
    }
}

/// The first retry waits this long; each further failure in a row doubles it.
pub const FIRST_RETRY: Duration = Duration::minutes(1);
/// No retry waits longer than this.
pub const LONGEST_RETRY: Duration = Duration::hours(1);

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunOutcome {
    /// Done, with a short summary of what it did (counts, never names).
    Succeeded(String),
    /// Not done: the cause, for the co-ordinator and the log.
    Failed(String),
}

impl RunOutcome {
    pub fn succeeded(&self) -> bool {
        matches!(self, Self::Succeeded(_))
    }

    pub fn summary(&self) -> &str {
        match self {
            Self::Succeeded(summary) | Self::Failed(summary) => summary,
        }
    }
}

/// When `job` next runs, given how its run that finished at `finished` ended and how many
/// runs in a row (this one included) have failed.
pub fn next_run(
    job: UpkeepJob,
    outcome: &RunOutcome,
    failures_in_a_row: u32,
    finished: DateTime<Utc>,
) -> DateTime<Utc> {
    if outcome.succeeded() {
        return finished + job.period();
    }
    finished + retry_delay(failures_in_a_row).min(job.period())
}

/// The wait before retrying after `failures_in_a_row` failures (at least one).
pub fn retry_delay(failures_in_a_row: u32) -> Duration {
    let doublings = failures_in_a_row.saturating_sub(1).min(16);
    (FIRST_RETRY * 2_i32.pow(doublings)).min(LONGEST_RETRY)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2027-03-10T03:00:00Z")
            .expect("a time")
            .with_timezone(&Utc)
    }

    #[test]
    fn a_success_runs_again_a_day_later() {
        let next = next_run(
            UpkeepJob::NextStepsReminders,
            &RunOutcome::Succeeded("3 reminders".into()),
            0,
            at(),
        );
        assert_eq!(next, at() + Duration::days(1));
    }

    #[test]
    fn a_failure_is_retried_within_minutes_then_less_often_up_to_an_hour() {
        let failed = RunOutcome::Failed("database is locked".into());
        let delays: Vec<i64> = (1..=10)
            .map(|n| (next_run(UpkeepJob::RetentionPurge, &failed, n, at()) - at()).num_minutes())
            .collect();
        assert_eq!(delays, [1, 2, 4, 8, 16, 32, 60, 60, 60, 60]);
    }

    #[test]
    fn retry_delays_never_overflow() {
        assert_eq!(retry_delay(u32::MAX), LONGEST_RETRY);
        assert_eq!(retry_delay(0), FIRST_RETRY);
    }

    #[test]
    fn codes_round_trip() {
        for job in UpkeepJob::ALL {
            assert_eq!(UpkeepJob::from_code(job.code()), Some(job));
        }
        assert_eq!(UpkeepJob::from_code("nothing"), None);
    }
}
