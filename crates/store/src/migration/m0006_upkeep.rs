//! The server's scheduled upkeep jobs: when each next runs, who holds it now (a lease, so
//! several instances never run one job twice at once), and how its last run ended, for the
//! co-ordinator's page and the metrics.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum UpkeepJobs {
    Table,
    Name,
    NextRunAt,
    ClaimedUntil,
    LastStartedAt,
    LastFinishedAt,
    LastSucceeded,
    LastSummary,
    LastSuccessAt,
    FailuresInARow,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UpkeepJobs::Table)
                    .if_not_exists()
                    .col(string(UpkeepJobs::Name).primary_key())
                    .col(timestamp_with_time_zone(UpkeepJobs::NextRunAt))
                    .col(timestamp_with_time_zone_null(UpkeepJobs::ClaimedUntil))
                    .col(timestamp_with_time_zone_null(UpkeepJobs::LastStartedAt))
                    .col(timestamp_with_time_zone_null(UpkeepJobs::LastFinishedAt))
                    .col(boolean_null(UpkeepJobs::LastSucceeded))
                    .col(text_null(UpkeepJobs::LastSummary))
                    .col(timestamp_with_time_zone_null(UpkeepJobs::LastSuccessAt))
                    .col(integer(UpkeepJobs::FailuresInARow).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(UpkeepJobs::Table).to_owned())
            .await
    }
}
