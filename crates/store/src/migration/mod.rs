//! Versioned schema migrations, identical on SQLite and PostgreSQL. Never edit a released
//! migration: add a new one.

mod m0001_foundation;
mod m0002_reviewer_pool;
mod m0003_challenges;
mod m0004_findings;
mod m0005_next_steps;
mod m0006_upkeep;
mod m0007_report_recommendations;
mod m0008_programmes;
mod m0009_returns;
mod m0010_thematic_events;
mod m0011_biennial;
mod m0012_self_assessment;
mod m0013_self_assessments;
mod m0015_triads;
mod m0016_event_documents;
mod m0017_reference_loads;
mod m0018_data_version;
mod m0019_table_versions;
pub(crate) mod m0020_sqlite_table_versions_only;
mod m0021_biennial_triad_pairing;

use sea_orm::DatabaseConnection;
use sea_orm_migration::{MigrationTrait, MigratorTrait};

use crate::StoreError;

struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_reviewer_pool::Migration),
            Box::new(m0003_challenges::Migration),
            Box::new(m0004_findings::Migration),
            Box::new(m0005_next_steps::Migration),
            Box::new(m0006_upkeep::Migration),
            Box::new(m0007_report_recommendations::Migration),
            Box::new(m0008_programmes::Migration),
            Box::new(m0009_returns::Migration),
            Box::new(m0010_thematic_events::Migration),
            Box::new(m0011_biennial::Migration),
            Box::new(m0012_self_assessment::Migration),
            Box::new(m0013_self_assessments::Migration),
            Box::new(m0015_triads::Migration),
            Box::new(m0016_event_documents::Migration),
            Box::new(m0017_reference_loads::Migration),
            Box::new(m0018_data_version::Migration),
            Box::new(m0019_table_versions::Migration),
            Box::new(m0020_sqlite_table_versions_only::Migration),
            Box::new(m0021_biennial_triad_pairing::Migration),
        ]
    }
}

pub(crate) async fn run(db: &DatabaseConnection) -> Result<(), StoreError> {
    Migrator::up(db, None).await.map_err(StoreError::from)
}

/// Every migration's name, in order: part of the reference data's fingerprint, so a release
/// with a new migration loads the reference data again.
pub(crate) fn names() -> Vec<String> {
    Migrator::migrations()
        .iter()
        .map(|migration| migration.name().to_owned())
        .collect()
}

/// Apply only the first `count` migrations: tests build data in an older shape, then migrate.
#[cfg(feature = "test-support")]
pub(crate) async fn run_first(db: &DatabaseConnection, count: u32) -> Result<(), StoreError> {
    Migrator::up(db, Some(count))
        .await
        .map_err(StoreError::from)
}
