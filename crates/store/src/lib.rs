//! Peer Challenge persistence. One codebase for SQLite (the embedded default) and PostgreSQL
//! (several app instances). All SQL lives in this crate; callers see domain types and one
//! method per unit of work, each its own transaction.

mod applications;
mod audit;
mod authorities;
mod backup;
mod biennial;
mod case_samples;
mod challenges;
mod connect;
mod data_version;
mod entity;
mod error;
mod event_documents;
mod events;
mod findings;
mod guidance;
mod indicators;
mod inspections;
mod migration;
mod next_steps;
mod outbox;
mod pool;
mod pool_admin;
mod pool_import;
mod pre_reading;
mod programmes;
mod reference;
mod reports;
mod retention;
mod returns;
mod secrets;
mod self_assessment;
mod self_assessment_versions;
mod sessions;
mod teams;
mod throttle;
mod timetable;
mod tokens;
mod training;
mod triads;
mod upkeep;
mod users;
mod work;

#[cfg(feature = "test-support")]
pub mod test_support;

pub use applications::{StoredApplication, Submission};
pub use audit::{AuditEntry, AuditFilter};
pub use authorities::{Authority, Theme};
pub use backup::ContentCounts;
pub use biennial::{
    AreaCycle, BiennialCycle, BiennialKloe, BiennialMember, BiennialSummary, OfferedSupport,
    OptOut, PairingChange, PastPairing, StoredPair, cycle_title,
};
pub use case_samples::{CaseReferenceOnly, SampledCase};
pub use challenges::{
    ChallengeEvent, ChallengeFilter, ChallengeRecord, ChallengeSummary, KloeVersion,
};
pub use connect::Backend;
pub use data_version::{DataVersion, ReadSet};
pub use error::StoreError;
pub use event_documents::{
    EVENT_DOCUMENTS_MAX_TOTAL_BYTES, EventDocument, EventDocumentFile, NewEventDocument,
};
pub use events::{EventKloes, KloesSaved, Nomination, ThematicEvent};
pub use findings::{Author, EvidenceNote, Finding, FindingComment};
pub use guidance::{GuidanceDocument, GuidanceSummary, NewGuidance};
pub use indicators::{ImportSummary, IndicatorRelease, PublishedValue};
pub use inspections::RecordedInspection;
pub use next_steps::{
    ActionChange, ActionCounts, ActionStanding, NextStepFilter, PlanApplied, PlannedAction,
};
pub use outbox::{EmailAttachment, NewEmail, OutboxEmail, OutboxStatus};
pub use pool::{HomeFilter, PoolFilter, PoolMember};
pub use pool_import::ImportedMember;
pub use pre_reading::{DocumentFile, DocumentKind, DocumentSummary, NewDocument};
pub use programmes::{ActivityTally, ProgrammeActivity};
pub use reports::{ReportComment, ReportVersion, ReportedRecommendation};
pub use retention::{
    DEFAULT_RETENTION_MONTHS, DRAFT_RETENTION_DAYS, PurgeReport, WorkingNotesPurged,
};
pub use returns::{NewReturn, OwedReturn, ReturnFilter};
pub use self_assessment::AnnualCycle;
pub use self_assessment_versions::StoredSelfAssessment;
pub use sessions::{SessionPolicy, SessionToken};
pub use teams::{Bookings, NewTeamMember, TeamMember};
pub use throttle::{SignInAttempt, SignInThrottle};
pub use timetable::Activity;
pub use tokens::TokenPurpose;
pub use training::{
    HomeDemand, NewTrainingSession, Trainee, TrainingDemand, TrainingPlace, TrainingSession,
    TrainingSessionDetail, WaitingMember,
};
pub use triads::{
    EvidenceDocument, NewEvidenceDocument, RecordedConversation, SupportRecord, TriadComment,
};
pub use upkeep::{ClaimedJob, UpkeepJobStatus};
pub use users::{NewUser, StaffMember};
pub use work::{NextStepsDue, OverdueArea, WorkItem, WorkTask};

use std::sync::Arc;

use connect::WriteTransaction;
use sea_orm::DatabaseConnection;

/// The application database. Cheap to clone: it wraps a connection pool.
#[derive(Clone, Debug)]
pub struct Store {
    db: DatabaseConnection,
    backend: Backend,
    /// Statements sent since connecting, by every clone: the instrument that keeps a page's
    /// queries per request in sight (`statements_run`).
    statements: Arc<connect::StatementLog>,
    writers: connect::WriteQueue,
}

impl Store {
    /// Connect to `url` (`sqlite://path?mode=rwc` or `postgres://…`), run pending migrations
    /// and bring the reference data up to date. Safe to run any number of times.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connect without migrating.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let statements = Arc::new(connect::StatementLog::default());
        let (db, writers, backend) = connect::connect(url, Arc::clone(&statements)).await?;
        Ok(Self {
            db,
            backend,
            statements,
            writers,
        })
    }

    /// Apply pending migrations, then upsert the reference data. The migrations take the write
    /// turn and, on SQLite, run on the connection kept for writing: they write, and their
    /// dozen statements in a row would otherwise open several reading connections (the pool
    /// gives a connection back on a task of its own, so a query straight after another often
    /// finds none free), each keeping its own copy of the schema for as long as the server
    /// runs.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        {
            let (_turn, db) = self.writers.turn(&self.db).await?;
            migration::run(db).await?;
        }
        reference::upsert_all(self).await
    }

    /// Begin a transaction that will write: every write transaction starts here, so on
    /// SQLite it queues for the write lock in turn instead of failing or polling (see
    /// `connect::WriteQueue`).
    pub(crate) async fn begin_write(&self) -> Result<WriteTransaction, sea_orm::DbErr> {
        WriteTransaction::begin(&self.db, &self.writers).await
    }

    /// How many statements this store has sent to the database so far. The difference across
    /// a request is that request's queries.
    pub fn statements_run(&self) -> u64 {
        self.statements.count()
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether the database answers: for `/healthz`.
    pub async fn ping(&self) -> bool {
        self.db.ping().await.is_ok()
    }

    /// Close the pool and the writing connection, both even if one fails.
    pub async fn close(self) -> Result<(), StoreError> {
        let writers = self.writers.close().await;
        let pool = self.db.close().await;
        writers.and(pool).map_err(StoreError::from)
    }
}
