//! Which release of the reference data the database holds: a fingerprint of the shipped files
//! and the migrations, so a start with nothing new to load reads one row instead of writing
//! every region, board, authority, theme and published figure again.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReferenceLoads {
    Table,
    Fingerprint,
    LoadedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReferenceLoads::Table)
                    .if_not_exists()
                    .col(string(ReferenceLoads::Fingerprint).primary_key())
                    .col(timestamp_with_time_zone(ReferenceLoads::LoadedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ReferenceLoads::Table).to_owned())
            .await
    }
}
